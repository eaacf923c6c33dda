import { create } from 'zustand';

/** Volume steps a driver moves through with "Quieter" / "Louder" (Web Speech volume, 0–1). */
export const VOLUME_STEPS = [0.2, 0.4, 0.6, 0.8, 1] as const;

/**
 * The driver's access choices: speech on or off, its voice and volume, high contrast and large
 * text, and whether the kiosk is dimmed (asleep). UI state only; everything goes back to the
 * default at the idle reset, so the next driver finds the kiosk as it always is.
 */
interface KioskAccessState {
  /** On once the driver taps "Speak": from then on every screen and action is read aloud. */
  speechOn: boolean;
  volume: number;
  /** Index into the voices the system has for the current language (0 = its default). */
  voiceIndex: number;
  contrast: boolean;
  largeText: boolean;
  /** Asleep: the next touch or key only wakes the kiosk (see a11y/DimGuard.tsx). */
  dimmed: boolean;

  setSpeechOn(on: boolean): void;
  louder(): void;
  quieter(): void;
  nextVoice(count: number): void;
  toggleContrast(): void;
  toggleLargeText(): void;
  setDimmed(dimmed: boolean): void;
  reset(): void;
}

const initial = { speechOn: false, volume: 0.8, voiceIndex: 0, contrast: false, largeText: false, dimmed: false };

const step = (volume: number, by: 1 | -1) => {
  const at = VOLUME_STEPS.findIndex((candidate) => candidate >= volume - 1e-9);
  return VOLUME_STEPS[Math.min(VOLUME_STEPS.length - 1, Math.max(0, (at < 0 ? VOLUME_STEPS.length - 1 : at) + by))]!;
};

export const useKioskAccess = create<KioskAccessState>((set) => ({
  ...initial,
  setSpeechOn: (speechOn) => set({ speechOn }),
  louder: () => set((state) => ({ volume: step(state.volume, 1) })),
  quieter: () => set((state) => ({ volume: step(state.volume, -1) })),
  nextVoice: (count) => set((state) => ({ voiceIndex: count > 0 ? (state.voiceIndex + 1) % count : 0 })),
  toggleContrast: () => set((state) => ({ contrast: !state.contrast })),
  toggleLargeText: () => set((state) => ({ largeText: !state.largeText })),
  setDimmed: (dimmed) => set({ dimmed }),
  reset: () => set(initial),
}));
