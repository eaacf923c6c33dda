import { create } from 'zustand';

/**
 * What the current screen (and a dialog over it, if any) says when read aloud. Each screen
 * writes its text here through `useSpoken`; the Speak control reads the top one.
 */
export interface SpokenEntry {
  /** Which screen or dialog this is: a change of key is a new screen, read at once while speech is on. */
  key: string;
  text: string;
}

interface KioskSpokenState {
  screen: SpokenEntry | null;
  dialog: SpokenEntry | null;
  set(layer: 'screen' | 'dialog', entry: SpokenEntry | null): void;
}

export const useKioskSpoken = create<KioskSpokenState>((set) => ({
  screen: null,
  dialog: null,
  set: (layer, entry) => set(layer === 'screen' ? { screen: entry } : { dialog: entry }),
}));

/** The text the Speak control reads now: the dialog when one is open, else the screen. */
export const currentSpoken = (state: Pick<KioskSpokenState, 'screen' | 'dialog'>) => state.dialog ?? state.screen;
