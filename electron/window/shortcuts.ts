/**
 * Keys the kiosk window reacts to (Electron's `before-input-event`). Ctrl+Shift+S opens the
 * staff console window. In production the browser's own shortcuts that would break the
 * kiosk — reload, devtools, zoom, close, print, find, new window — are swallowed.
 */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

export type ShortcutAction = 'open-staff' | 'block' | 'pass';

const BLOCKED_WITH_MODIFIER = new Set(['r', 'w', 'n', 't', 'p', 'f', 'g', 'o', 's', 'u', 'j', 'i', 'q', 'h', 'l', 'd', '+', '-', '=', '0']);
const BLOCKED_ALONE = new Set(['F5', 'F7', 'F11', 'F12', 'BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome']);

export function shortcutAction(input: KeyInput, production: boolean): ShortcutAction {
  if (input.type !== 'keyDown') return 'pass';
  const modifier = input.control || input.meta;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (modifier && input.shift && !input.alt && key === 's') return 'open-staff';
  if (!production) return 'pass';
  if (modifier && BLOCKED_WITH_MODIFIER.has(key)) return 'block';
  if (BLOCKED_ALONE.has(key)) return 'block';
  // Alt+Left/Right navigate back and forward; Alt+F4 closes the kiosk.
  if (input.alt && (key === 'ArrowLeft' || key === 'ArrowRight' || key === 'F4')) return 'block';
  return 'pass';
}
