/**
 * Chromium switches the kiosk needs, appended with app.commandLine.appendSwitch before the app
 * is ready (switches read at start-up are ignored later).
 *
 * Linux: Chromium's Web Speech API only speaks through speech-dispatcher (with espeak-ng, the
 * offline voice, docs/accessibility.md) when asked to; without the switch speechSynthesis has no
 * voices, and the kiosk's "Speak" control would stay silent.
 */
export type Switch = readonly [name: string, value?: string];

export function kioskSwitches(platform: NodeJS.Platform): Switch[] {
  return platform === 'linux' ? [['enable-speech-dispatcher']] : [];
}
