import { create } from 'zustand';

/** A driver walked away after this long without a touch… */
export const IDLE_AFTER_MS = 60_000;
/** …and gets this long to answer "Need more time?" before the kiosk starts over (WCAG 2.2.1 asks for at least 20 s). */
export const IDLE_WARNING_MS = 30_000;

interface KioskIdleState {
  /** Local time (ms) of the last touch, key press or tap anywhere on the kiosk. */
  lastTouchAt: number;
  touch(): void;
}

export const useKioskIdle = create<KioskIdleState>((set) => ({
  lastTouchAt: Date.now(),
  touch: () => set({ lastTouchAt: Date.now() }),
}));
