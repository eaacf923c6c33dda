import type { KioskLanguage } from '../../stores/kioskLanguage';

/**
 * The kiosk's voice: the Web Speech API (speechSynthesis), which in Chromium and Electron on
 * Debian speaks through speech-dispatcher with espeak-ng, offline (docs/accessibility.md).
 * Every utterance is also recorded in `window.__kioskSpeech`, so tests check what is said
 * without any audio.
 */
export interface SpeechRecord {
  text: string;
  lang: string;
  volume: number;
  voice: string | null;
  /** True when it cut off what was being said (a new tap, a new screen, Stop). */
  interrupted: boolean;
}

interface SpeechLog {
  last: SpeechRecord | null;
  history: SpeechRecord[];
  stops: number;
}

declare global {
  interface Window {
    __kioskSpeech?: SpeechLog;
  }
}

const log = (): SpeechLog => (window.__kioskSpeech ??= { last: null, history: [], stops: 0 });

const LOCALES: Record<KioskLanguage, string> = { en: 'en-IN', hi: 'hi-IN' };

const synth = (): SpeechSynthesis | null => (typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null);

/** The system's voices for a language (en-IN first, then any English; hi-IN, then any Hindi). */
export function voicesFor(language: KioskLanguage): SpeechSynthesisVoice[] {
  const all = synth()?.getVoices() ?? [];
  const exact = all.filter((voice) => voice.lang.replace('_', '-').toLowerCase() === LOCALES[language].toLowerCase());
  const near = all.filter((voice) => voice.lang.toLowerCase().startsWith(language) && !exact.includes(voice));
  return [...exact, ...near];
}

export interface SpeakOptions {
  language: KioskLanguage;
  volume: number;
  voiceIndex: number;
  /** Cut off what is being said first (default); false queues it after. */
  interrupt?: boolean;
}

export function speak(text: string, { language, volume, voiceIndex, interrupt = true }: SpeakOptions): void {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return;
  const engine = synth();
  const voices = voicesFor(language);
  const voice = voices.length ? voices[voiceIndex % voices.length]! : null;
  const record: SpeechRecord = { text: clean, lang: LOCALES[language], volume, voice: voice?.name ?? null, interrupted: interrupt && isSpeaking() };
  const book = log();
  book.last = record;
  book.history.push(record);
  if (book.history.length > 200) book.history.shift();
  if (!engine || typeof SpeechSynthesisUtterance === 'undefined') return;
  if (interrupt) engine.cancel();
  const utterance = new SpeechSynthesisUtterance(clean);
  utterance.lang = LOCALES[language];
  utterance.volume = volume;
  if (voice) utterance.voice = voice;
  engine.speak(utterance);
}

export function stopSpeaking(): void {
  log().stops += 1;
  synth()?.cancel();
}

export function isSpeaking(): boolean {
  const engine = synth();
  return !!engine && (engine.speaking || engine.pending);
}

/** Calls back when the system's voice list arrives or changes (Chromium loads it late). */
export function onVoicesChanged(callback: () => void): () => void {
  const engine = synth();
  if (!engine) return () => undefined;
  engine.addEventListener('voiceschanged', callback);
  return () => engine.removeEventListener('voiceschanged', callback);
}
