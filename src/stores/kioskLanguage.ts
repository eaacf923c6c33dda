import { create } from 'zustand';

export type KioskLanguage = 'en' | 'hi';

interface KioskLanguageState {
  language: KioskLanguage;
  setLanguage(language: KioskLanguage): void;
}

/** The driver's chosen language; the kiosk falls back to English when it resets for the next driver. */
export const useKioskLanguage = create<KioskLanguageState>((set) => ({
  language: 'en',
  setLanguage: (language) => {
    document.documentElement.lang = language;
    set({ language });
  },
}));
