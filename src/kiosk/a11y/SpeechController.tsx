import { useEffect } from 'react';
import { useKioskAccess } from '../../stores/kioskAccess';
import { useKioskLanguage } from '../../stores/kioskLanguage';
import { currentSpoken, useKioskSpoken } from '../../stores/kioskSpoken';
import { catalogs } from '../../i18n';
import { isSpeaking, speak, stopSpeaking } from './speech';

/** What a control is called when read aloud: its label, then whether it is chosen or unavailable. */
export function controlName(element: Element, language: 'en' | 'hi'): string {
  const t = catalogs[language].a11y;
  // innerText keeps the line breaks between a control's parts ("Slot A2", "Car", "₹60.00").
  const label = element.getAttribute('aria-label') ?? (element as HTMLElement).innerText ?? element.textContent ?? '';
  const parts = [
    label
      .split(/\n+/)
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join(', '),
  ];
  if (element instanceof HTMLInputElement) parts.unshift(element.labels?.[0]?.textContent ?? '', element.value || t.emptyField);
  if (element.getAttribute('aria-pressed') === 'true') parts.push(t.selected);
  if ((element as HTMLButtonElement).disabled || element.getAttribute('aria-disabled') === 'true') parts.push(t.unavailable);
  return parts.filter(Boolean).join(', ');
}

const say = (text: string, interrupt = true) => {
  const { volume, voiceIndex } = useKioskAccess.getState();
  speak(text, { language: useKioskLanguage.getState().language, volume, voiceIndex, interrupt });
};

/** Reads the current screen (or the dialog over it). */
export const speakScreen = () => {
  const entry = currentSpoken(useKioskSpoken.getState());
  if (entry) say(entry.text);
};

let lastActionAt = 0;
let lastKeyFocusAt = 0;
/** Set by the keypad when it moves the focus, so a focus change by key is read, not one by script. */
export const markKeyFocus = () => {
  lastKeyFocusAt = Date.now();
};

/**
 * Speech while it is on: a new screen or dialog is read as it appears, each action (a tap or
 * Enter on a control, a focus move by key) is read as it happens, and any new tap first stops
 * what is being said, so speech never talks over the driver.
 */
export function SpeechController() {
  useEffect(() => {
    const stopOnTap = (event: Event) => {
      if (event.target instanceof Element && event.target.closest('[data-speech-control]')) return;
      if (isSpeaking()) stopSpeaking();
    };
    const sayAction = (event: Event) => {
      if (!useKioskAccess.getState().speechOn) return;
      const control = event.target instanceof Element ? event.target.closest('button') : null;
      if (!control || control.closest('[data-speech-control]')) return;
      lastActionAt = Date.now();
      // Said after the tap's own handler has run, so "selected" is said of the slot just
      // chosen; a control the tap took off screen is said as it was.
      const language = useKioskLanguage.getState().language;
      const before = controlName(control, language);
      setTimeout(() => say(control.isConnected ? controlName(control, language) : before), 0);
    };
    const sayFocus = (event: FocusEvent) => {
      if (!useKioskAccess.getState().speechOn || Date.now() - lastKeyFocusAt > 500) return;
      const target = event.target;
      if (!(target instanceof HTMLButtonElement || target instanceof HTMLInputElement)) return;
      say(controlName(target, useKioskLanguage.getState().language));
    };
    window.addEventListener('pointerdown', stopOnTap, true);
    window.addEventListener('click', sayAction, true);
    window.addEventListener('focusin', sayFocus, true);
    // A new screen or dialog: read it; after an action, queued behind the action's name.
    const unsubscribe = useKioskSpoken.subscribe((state, previous) => {
      const now = currentSpoken(state);
      const before = currentSpoken(previous);
      if (!now || now.key === before?.key || !useKioskAccess.getState().speechOn) return;
      // A timer too, so it comes after the action's name (scheduled first, in the tap itself).
      const interrupt = Date.now() - lastActionAt > 1_000;
      setTimeout(() => say(now.text, interrupt), 0);
    });
    return () => {
      window.removeEventListener('pointerdown', stopOnTap, true);
      window.removeEventListener('click', sayAction, true);
      window.removeEventListener('focusin', sayFocus, true);
      unsubscribe();
    };
  }, []);
  return null;
}
