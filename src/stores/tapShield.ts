import { create } from 'zustand';

/**
 * How long a new screen ignores taps. A driver's double tap lands 150–400 ms after the first;
 * the second tap must not act on a screen the driver has not seen yet.
 */
export const TAP_SHIELD_MS = 500;

interface TapShieldState {
  /** True while the screen that just appeared ignores taps. */
  up: boolean;
  /** Raised by every screen as it appears (see useScreenEntry). */
  raise(): void;
}

let timer: ReturnType<typeof setTimeout> | undefined;

export const useTapShield = create<TapShieldState>((set) => ({
  up: false,
  raise: () => {
    clearTimeout(timer);
    set({ up: true });
    timer = setTimeout(() => set({ up: false }), TAP_SHIELD_MS);
  },
}));
