import { useEffect } from 'react';
import { useKioskAccess } from '../../stores/kioskAccess';
import { useKioskIdle } from '../../stores/kioskIdle';
import { wake } from './DimGuard';
import { markKeyFocus } from './SpeechController';

type Direction = 'up' | 'down' | 'left' | 'right';
const ARROWS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), [tabindex="0"]';

/** Where keys act: the open dialog if there is one (focus stays inside it), else the whole kiosk. */
function scope(): ParentNode {
  const dialogs = document.querySelectorAll('.kiosk [aria-modal="true"]');
  return dialogs[dialogs.length - 1] ?? document.querySelector('.kiosk') ?? document;
}

/** What can take focus in the scope and is on screen (inside the visible part of any scrolling box). */
function candidates(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && element.offsetParent !== null && !element.closest('[aria-hidden="true"]');
  });
}

/**
 * Spatial navigation: the nearest control in the arrow's direction, measured from the focused
 * one's edge; controls out of line with it count three times their offset, so the arrows follow
 * rows and columns (the on-screen keyboard, the slot grid) the way they look.
 */
function nextInDirection(from: DOMRect, direction: Direction, options: HTMLElement[], current: Element | null): HTMLElement | null {
  let best: HTMLElement | null = null;
  let bestScore = Infinity;
  const cx = from.left + from.width / 2;
  const cy = from.top + from.height / 2;
  for (const element of options) {
    if (element === current) continue;
    const box = element.getBoundingClientRect();
    const ex = box.left + box.width / 2;
    const ey = box.top + box.height / 2;
    let main: number;
    let cross: number;
    if (direction === 'down') {
      if (ey <= cy + 2 || box.top < from.top + 2) continue;
      main = Math.max(0, box.top - from.bottom);
      cross = Math.max(0, box.left - from.right, from.left - box.right);
    } else if (direction === 'up') {
      if (ey >= cy - 2 || box.bottom > from.bottom - 2) continue;
      main = Math.max(0, from.top - box.bottom);
      cross = Math.max(0, box.left - from.right, from.left - box.right);
    } else if (direction === 'right') {
      if (ex <= cx + 2 || box.left < from.left + 2) continue;
      main = Math.max(0, box.left - from.right);
      cross = Math.max(0, box.top - from.bottom, from.top - box.bottom);
    } else {
      if (ex >= cx - 2 || box.right > from.right - 2) continue;
      main = Math.max(0, from.left - box.right);
      cross = Math.max(0, box.top - from.bottom, from.top - box.bottom);
    }
    const score = main + 3 * cross + 0.001 * Math.hypot(ex - cx, ey - cy);
    if (score < bestScore) {
      bestScore = score;
      best = element;
    }
  }
  return best;
}

function moveFocus(direction: Direction) {
  const options = candidates(scope());
  if (options.length === 0) return;
  const current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const from = current && current !== document.body ? current.getBoundingClientRect() : null;
  const target = from ? nextInDirection(from, direction, options, current) : options[0]!;
  if (!target) return;
  markKeyFocus();
  target.focus();
  target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/**
 * Presses a control as a finger would. The on-screen keyboard's keys act on pointerdown (the
 * library's choice), so they get the pointer events; then a click, as a real tap has.
 */
function press(element: HTMLElement) {
  if (element.closest('.plate-keyboard')) {
    element.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true, isPrimary: true }));
    element.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, cancelable: true, isPrimary: true }));
  }
  element.click();
}

const click = (selector: string) => {
  const element = scope().querySelector<HTMLElement>(selector) ?? null;
  if (!element || (element as HTMLButtonElement).disabled) return false;
  press(element);
  return true;
};

/** The text field the on-screen keyboard types into now (vehicle number, or the active Find field). */
const activeField = () => document.querySelector<HTMLInputElement>('.find-field.active input, #vehicle-number');

/**
 * Keypad-only operation (a USB tactile keypad sends these keys): arrows move the focus, Enter
 * or # presses the focused control, Escape goes back (closes a dialog), Backspace or * deletes
 * the last character of the field being typed and goes back when it is empty; digits and
 * letters type through the on-screen keyboard, so its rules (length, characters) hold.
 * A dimmed kiosk or the "Need more time?" question takes the first key only to wake / answer.
 */
export function useKeypad() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      const swallow = () => {
        event.preventDefault();
        event.stopImmediatePropagation();
      };
      if (useKioskAccess.getState().dimmed) {
        swallow();
        wake();
        return;
      }
      if (document.querySelector('.kiosk .idle-backdrop')) {
        swallow();
        useKioskIdle.getState().touch();
        return;
      }
      const direction = ARROWS[event.key];
      if (direction) {
        event.preventDefault();
        moveFocus(direction);
        return;
      }
      const focused = document.activeElement;
      const onControl = focused instanceof HTMLButtonElement;
      if (event.key === '#' || event.key === 'Enter') {
        // Enter on a button is the browser's own click, except on the on-screen keyboard (it
        // acts on pointerdown); # does the same. On anything else (the screen's title just
        // after it appears) a held or repeated Enter presses nothing.
        const ownClick = event.key === 'Enter' && onControl && !focused.closest('.plate-keyboard');
        if (ownClick) return;
        event.preventDefault();
        if (onControl && !event.repeat) press(focused);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        click('[data-keypad-back]');
        return;
      }
      const keyboard = document.querySelector('.kiosk .plate-keyboard');
      if (event.key === 'Backspace' || event.key === '*') {
        event.preventDefault();
        const field = keyboard ? activeField() : null;
        if (field && field.value !== '') click('.plate-keyboard [data-skbtn="{bksp}"]');
        else click('[data-keypad-back]');
        return;
      }
      if (!keyboard || event.key.length !== 1) return;
      const key = event.key === ' ' ? '{space}' : event.key.toUpperCase();
      // Space presses a focused button, as everywhere; it types only from the field itself.
      if (key === '{space}' && onControl) return;
      if (!/^[A-Z0-9-]$|^\{space\}$/.test(key)) return;
      event.preventDefault();
      click(`.plate-keyboard [data-skbtn="${key}"]`);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
