import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import type { RunningServer } from '../support/server';
import { openKiosk as openKioskPage, typeKeys, useServerAndBrowser } from '../support/kiosk-page';

/**
 * A kiosk every driver can use (issue 13): speech (the text each screen says, not the audio),
 * the whole booking with keys alone, high contrast and large text under axe, the portrait
 * reach rule, and the timeouts (at least 20 s to answer, the first touch only wakes).
 */
const root = join(import.meta.dirname, '..', '..');
const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const HOUR = 3_600_000;
/** The portrait reach line (docs/accessibility.md): no control above it. */
const REACH_TOP_PX = 720;

let server: RunningServer;
let browser: Browser;

useServerAndBrowser((started, chromium) => {
  [server, browser] = [started, chromium];
});

type Orientation = 'portrait' | 'landscape';

/**
 * A stand-in for the system's speech engine, installed before the page loads: it records what
 * the kiosk hands to speechSynthesis (and every cancel) and offers two English voices and one
 * Hindi voice, as espeak-ng does through speech-dispatcher.
 */
function stubSpeech() {
  const voices = [
    { name: 'English (India) 1', lang: 'en-IN', voiceURI: 'en-1', default: true, localService: true },
    { name: 'English (India) 2', lang: 'en-IN', voiceURI: 'en-2', default: false, localService: true },
    { name: 'Hindi', lang: 'hi-IN', voiceURI: 'hi', default: false, localService: true },
  ];
  const record = { spoken: [] as { text: string; lang: string; volume: number; voice: string | null }[], cancels: 0 };
  (window as unknown as { __stubSpeech: typeof record }).__stubSpeech = record;
  class Utterance {
    text: string;
    lang = '';
    volume = 1;
    voice: { name: string } | null = null;
    constructor(text: string) {
      this.text = text;
    }
  }
  const engine = {
    speaking: false,
    pending: false,
    paused: false,
    getVoices: () => voices,
    speak(utterance: Utterance) {
      engine.speaking = true;
      record.spoken.push({ text: utterance.text, lang: utterance.lang, volume: utterance.volume, voice: utterance.voice?.name ?? null });
    },
    cancel() {
      record.cancels += 1;
      engine.speaking = false;
    },
    pause() {},
    resume() {},
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: engine, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
}

const openKiosk = (orientation: Orientation = 'portrait', options: { fakeClock?: boolean } = {}) =>
  openKioskPage(browser, server.url, orientation, { ...options, initScript: stubSpeech });

/** What the kiosk said last (its own record) and what the stand-in engine was given. */
const lastSaid = (page: Page) => page.evaluate(() => window.__kioskSpeech?.last ?? null);
const engineLog = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __stubSpeech: { spoken: { text: string; lang: string; volume: number; voice: string | null }[]; cancels: number } }).__stubSpeech,
  );
const saidText = async (page: Page) => (await lastSaid(page))?.text ?? '';

async function audit(page: Page, screen: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    `axe on the ${screen} screen`,
  ).toEqual([]);
}

const shieldDown = (page: Page) => page.getByTestId('tap-shield').waitFor({ state: 'detached' });

/** Every control a driver can reach on screen now, with the part of its box that is visible (scrolling boxes clip it). */
const visibleControls = (page: Page) =>
  page.evaluate(() => {
    const out: { name: string; top: number; bottom: number }[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('.kiosk button, .kiosk input, .kiosk [role="button"]')) {
      if (element.offsetParent === null) continue;
      let { top, bottom } = element.getBoundingClientRect();
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (/(auto|scroll|hidden)/.test(style.overflowY)) {
          const box = parent.getBoundingClientRect();
          top = Math.max(top, box.top);
          bottom = Math.min(bottom, box.bottom);
        }
      }
      if (bottom - top < 1) continue;
      out.push({
        name: (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim(),
        top: Math.round(top),
        bottom: Math.round(bottom),
      });
    }
    return out;
  });

async function assertInReach(page: Page, screen: string) {
  const controls = await visibleControls(page);
  expect(controls.length, `controls on the ${screen} screen`).toBeGreaterThan(0);
  const high = controls.filter((control) => control.top < REACH_TOP_PX).map((control) => `${control.name} at y=${control.top}`);
  expect(high, `controls above the reach line (y=${REACH_TOP_PX}) on the ${screen} screen`).toEqual([]);
}

/** Moves the focus with the arrow keys until `target` has it, as a keypad user does by looking at the screen. */
async function arrowTo(page: Page, target: Locator, what: string) {
  const targetHandle = await target.elementHandle();
  for (let step = 0; step < 60; step += 1) {
    const there = await page.evaluate((element) => document.activeElement === element, targetHandle);
    if (there) return;
    const direction = await page.evaluate((element) => {
      const to = element!.getBoundingClientRect();
      const focused = document.activeElement;
      const from = focused && focused !== document.body ? focused.getBoundingClientRect() : new DOMRect(0, 0, 0, 0);
      if (to.top >= from.bottom - 2) return 'ArrowDown';
      if (to.bottom <= from.top + 2) return 'ArrowUp';
      return to.left >= from.right - 2 ? 'ArrowRight' : 'ArrowLeft';
    }, targetHandle);
    await page.keyboard.press(direction);
  }
  throw new Error(`the arrow keys never reached ${what}`);
}

/** Types a vehicle number with keys alone: digits from the keypad, letters by arrowing to them on the on-screen keyboard. */
async function keyType(page: Page, text: string) {
  for (const char of text) {
    if (/\d/.test(char)) await page.keyboard.press(char);
    else {
      await arrowTo(page, page.locator(`.plate-keyboard [data-skbtn="${char}"]`), `key ${char}`);
      await page.keyboard.press('Enter');
    }
  }
}

const focusRing = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return { width: parseFloat(style.outlineWidth), style: style.outlineStyle, visible: document.activeElement!.matches(':focus-visible') };
  });

describe('speech', () => {
  it('each screen gives its own spoken text in the current language; actions are read, a new tap interrupts, Stop stops; voice and volume change', async () => {
    const { context, page, errors } = await openKiosk('portrait', { fakeClock: true });
    try {
      expect(await lastSaid(page), 'silent until asked').toBeNull();
      await page.getByRole('button', { name: 'Speak' }).tap();
      await expect.poll(() => saidText(page)).toContain('Welcome to Marine Drive Parking.');
      const home = await saidText(page);
      expect(home).toMatch(/Free slots now: \d+ of 24 free/);
      expect(home).toContain('Book a slot: Park for 60 minutes from');
      expect(home).toContain('Find my booking');
      // The real API got exactly that, in English, at the default volume.
      const engine = await engineLog(page);
      expect(engine.spoken.at(-1)).toMatchObject({ text: home, lang: 'en-IN', volume: 0.8, voice: 'English (India) 1' });

      // Volume and voice: each change is heard at its new setting.
      await page.getByRole('button', { name: 'Louder' }).tap();
      await expect.poll(async () => (await lastSaid(page))?.volume).toBe(1);
      expect(await saidText(page)).toBe('Volume 100 percent');
      await page.getByRole('button', { name: 'Quieter' }).tap();
      await page.getByRole('button', { name: 'Quieter' }).tap();
      await expect.poll(async () => (await lastSaid(page))?.volume).toBe(0.6);
      await page.getByRole('button', { name: 'Voice 1' }).tap();
      await expect.poll(async () => (await lastSaid(page))?.voice).toBe('English (India) 2');
      await page.getByRole('button', { name: 'Voice 2' }).waitFor();

      // Speech is on: the next screen is read by itself, after the action that led there.
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await expect.poll(() => saidText(page)).toContain('Choose a slot. Step 1 of 3.');
      const slots = await saidText(page);
      expect(slots).toMatch(/\d+ free slots: A1 Car ₹60\.00/);
      expect(slots).toContain('Tap a free slot to choose it.');
      const log = (await engineLog(page)).spoken.map((entry) => entry.text);
      expect(log.at(-2), 'the action, then the screen').toContain('Book a slot');
      expect((await lastSaid(page))?.volume).toBe(0.6);

      // A new tap stops what is being said and reads the new action.
      await shieldDown(page);
      const cancelsBefore = (await engineLog(page)).cancels;
      await page.locator('[data-slot="A2"]').tap();
      await expect.poll(async () => (await engineLog(page)).cancels).toBeGreaterThan(cancelsBefore);
      await expect.poll(() => saidText(page)).toMatch(/^Slot,? A2, Car, ₹60\.00, Free, selected\.?$/);
      await page.getByRole('button', { name: 'Speak' }).tap();
      await expect.poll(() => saidText(page)).toContain('Slot A2 selected, ₹60.00.');

      await page.getByRole('button', { name: 'Continue with A2' }).tap();
      await expect.poll(() => saidText(page)).toContain('Your vehicle number. Step 2 of 3. Slot A2 selected.');
      await typeKeys(page, 'KL07AB');
      await expect.poll(() => saidText(page)).toBe('B');
      await typeKeys(page, '1234');
      await page.getByRole('button', { name: 'Speak' }).tap();
      await expect.poll(() => saidText(page)).toContain('Typed so far: K L 0 7 A B 1 2 3 4. Will be booked as KL-07-AB-1234.');

      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
      await expect.poll(() => saidText(page)).toContain('Check and book. Step 3 of 3. Slot A2. Vehicle K L 0 7 A B 1 2 3 4.');
      expect(await saidText(page)).toContain('Price ₹60.00.');

      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('reference').waitFor();
      const reference = (await page.getByTestId('reference').textContent())!;
      await expect.poll(() => saidText(page)).toContain(`You are booked. Booking reference: ${reference.split('').join(' ')}.`);
      expect(await saidText(page)).toMatch(/Time left: 1 hours, 0 minutes, 0 seconds left|Time left: 0 hours, 59 minutes/);

      // The cancel question is a dialog over the screen: read as it opens, then the screen again.
      await shieldDown(page);
      await page.getByRole('button', { name: 'Cancel booking' }).tap();
      await expect.poll(() => saidText(page)).toContain(`Cancel booking ${reference}? Slot A2 will be free for others.`);
      await page.getByRole('button', { name: 'No, keep it' }).tap();
      await page.getByRole('button', { name: 'Speak' }).tap();
      await expect.poll(() => saidText(page)).toContain('You are booked.');

      await server.client().clock.advance.mutate({ ms: HOUR });
      await page.getByRole('heading', { name: 'Booking expired' }).waitFor({ timeout: 15_000 });
      await expect.poll(() => saidText(page)).toContain('Booking expired. Your time on slot A2 has ended.');

      // Stop: silence at once, and nothing more is read.
      const cancels = (await engineLog(page)).cancels;
      await page.getByRole('button', { name: 'Stop' }).tap();
      await expect.poll(async () => (await engineLog(page)).cancels).toBeGreaterThan(cancels);
      const spokenCount = (await engineLog(page)).spoken.length;
      await page.getByRole('button', { name: 'Exit' }).tap();
      await page.getByRole('button', { name: 'Find my booking' }).tap();
      await page.getByRole('heading', { name: 'Find my booking' }).waitFor();
      expect((await engineLog(page)).spoken.length, 'speech stays off after Stop').toBe(spokenCount);
      await page.getByRole('button', { name: 'Speak' }).tap();
      await expect.poll(() => saidText(page)).toContain('Find my booking. Booking reference: empty. Vehicle number: empty. Typing into: Booking reference.');

      // The idle question is read as it appears.
      await page.clock.fastForward(61_000);
      await page.getByRole('alertdialog', { name: 'Need more time?' }).waitFor();
      await expect.poll(() => saidText(page)).toContain('Need more time? The kiosk goes back to the start in 30 seconds.');
      await page.getByRole('button', { name: 'More time' }).tap();

      // In Hindi, in Hindi, with the Hindi voice.
      await page.getByRole('button', { name: 'Back' }).tap();
      await page.getByRole('button', { name: 'हिन्दी' }).tap();
      await page.getByRole('button', { name: 'बोलें' }).tap();
      await expect.poll(() => saidText(page)).toContain('स्वागत है Marine Drive Parking.');
      expect(await lastSaid(page)).toMatchObject({ lang: 'hi-IN', voice: 'Hindi' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('keypad only', () => {
  it('books a slot from home to the confirmation and back with arrows, Enter, digits and Back alone, with a visible focus ring', async () => {
    const { context, page, errors } = await openKiosk('portrait');
    try {
      await arrowTo(page, page.getByRole('button', { name: 'Book a slot' }), 'Book a slot');
      expect(await focusRing(page)).toMatchObject({ style: 'solid', visible: true });
      expect((await focusRing(page)).width).toBeGreaterThanOrEqual(4);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Choose a slot' }).waitFor();

      // Escape (the keypad's Back) leaves the step; Enter brings the driver back in.
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();
      await arrowTo(page, page.getByRole('button', { name: 'Book a slot' }), 'Book a slot');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Choose a slot' }).waitFor();
      // A held Enter lands on the new screen's title and presses nothing there.
      await page.keyboard.press('Enter');
      expect(await page.locator('[data-slot][aria-pressed="true"]').count()).toBe(0);

      await arrowTo(page, page.locator('[data-slot="B2"]'), 'slot B2');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-slot="B2"]').getAttribute('aria-pressed')).toBe('true');
      await arrowTo(page, page.getByRole('button', { name: 'Continue with B2' }), 'Continue');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Your vehicle number' }).waitFor();

      await keyType(page, 'KA05MN7');
      await page.keyboard.press('9');
      await expect.poll(() => page.locator('#vehicle-number').inputValue()).toBe('KA05MN79');
      // Backspace (or *) deletes in the field; it does not leave the step while there is text.
      await page.keyboard.press('Backspace');
      await page.keyboard.press('*');
      await expect.poll(() => page.locator('#vehicle-number').inputValue()).toBe('KA05MN');
      await keyType(page, '7788');
      await expect.poll(() => page.locator('#vehicle-feedback').textContent()).toBe('Will be booked as KA-05-MN-7788');
      expect(await focusRing(page)).toMatchObject({ style: 'solid', visible: true });

      await arrowTo(page, page.getByRole('button', { name: 'Next', exact: true }), 'Next');
      await page.keyboard.press('Enter');
      // "Is this your vehicle?": Yes is enabled once the server has checked the plate.
      const yes = page.getByTestId('readback-yes');
      await expect.poll(() => yes.isEnabled(), { timeout: 15_000 }).toBe(true);
      await arrowTo(page, yes, 'Yes');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Check and book' }).waitFor();
      await arrowTo(page, page.getByRole('button', { name: 'Book Selected Slot' }), 'Book Selected Slot');
      // # is the keypad's Enter.
      await page.keyboard.press('#');
      await page.getByTestId('countdown').waitFor();
      expect(await page.locator('.booking-details').textContent()).toContain('KA-05-MN-7788');
      expect(await page.getByTestId('reference').textContent()).toMatch(/^[A-Z0-9]{6}$/);

      await arrowTo(page, page.getByRole('button', { name: 'Done' }), 'Done');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps the arrows inside an open dialog and Escape answers it the safe way', async () => {
    const { context, page } = await openKiosk('portrait');
    try {
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator('[data-slot="A6"]').tap();
      await page.getByRole('button', { name: 'Continue with A6' }).tap();
      await typeKeys(page, 'GJ01XY4455');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      await shieldDown(page);
      await page.getByRole('button', { name: 'Cancel booking' }).tap();
      await page.getByRole('alertdialog').waitFor();
      for (const key of ['ArrowDown', 'ArrowDown', 'ArrowLeft', 'ArrowUp']) {
        await page.keyboard.press(key);
        expect(await page.evaluate(() => !!document.activeElement?.closest('[role="alertdialog"]')), `focus stays in the dialog after ${key}`).toBe(true);
      }
      await page.keyboard.press('Escape');
      await page.getByRole('alertdialog').waitFor({ state: 'detached' });
      expect(await page.getByTestId('countdown').isVisible(), 'Escape kept the booking').toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe.each(['portrait', 'landscape'] as const)('display modes at %s', (orientation) => {
  it('high contrast and large text are switched on at home, pass axe on every screen, and go at the idle reset', async () => {
    const { context, page, errors } = await openKiosk(orientation, { fakeClock: true });
    const slot = orientation === 'portrait' ? 'A7' : 'A8';
    const other = orientation === 'portrait' ? 'B3' : 'B4';
    const snap = (name: string) => screenshot(page, `kiosk-contrast-${name}-${orientation}`);
    try {
      await page.getByTestId('contrast-toggle').tap();
      await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('kiosk-contrast'))).toBe(true);
      expect(await page.getByTestId('contrast-toggle').getAttribute('aria-pressed')).toBe('true');
      await audit(page, 'home (contrast)');
      await snap('home');
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator(`[data-slot="${slot}"]`).waitFor();
      await shieldDown(page);
      await page.locator(`[data-slot="${slot}"]`).tap();
      await audit(page, 'slots (contrast)');
      await snap('slots');
      await page.getByRole('button', { name: `Continue with ${slot}` }).tap();
      await typeKeys(page, orientation === 'portrait' ? 'DL3CAB1234' : 'DL3CAB5678');
      await audit(page, 'vehicle (contrast)');
      await snap('vehicle');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
      await page.getByRole('heading', { name: 'Check and book' }).waitFor();
      await audit(page, 'confirm (contrast)');
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      await audit(page, 'confirmation (contrast)');
      await snap('confirmation');
      await page.clock.fastForward(61_000);
      await page.getByRole('alertdialog', { name: 'Need more time?' }).waitFor();
      await audit(page, 'need more time (contrast)');
      await snap('idle');
      // No answer: the next driver finds the standard display.
      await page.clock.fastForward(31_000);
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.className)).not.toContain('kiosk-contrast');

      await page.getByTestId('large-text-toggle').tap();
      await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('kiosk-large'))).toBe(true);
      const overflow = () => page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
      const size = orientation === 'portrait' ? { w: 1080, h: 1920 } : { w: 1920, h: 1080 };
      await audit(page, 'home (large text)');
      expect(await overflow()).toEqual(size);
      await screenshot(page, `kiosk-large-home-${orientation}`);
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator(`[data-slot="${slot}"]`).waitFor();
      await audit(page, 'slots (large text)');
      await shieldDown(page);
      await page.locator(`[data-slot="${other}"]`).tap();
      await page.getByRole('button', { name: `Continue with ${other}` }).tap();
      await typeKeys(page, 'DL3CAB9999');
      await audit(page, 'vehicle (large text)');
      expect(await overflow()).toEqual(size);
      await screenshot(page, `kiosk-large-vehicle-${orientation}`);
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
      await page.getByRole('heading', { name: 'Check and book' }).waitFor();
      await audit(page, 'confirm (large text)');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('reach on a portrait kiosk', () => {
  it(`keeps every control below y=${REACH_TOP_PX} px on every screen`, async () => {
    const { context, page } = await openKiosk('portrait', { fakeClock: true });
    try {
      await assertInReach(page, 'home');
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator('[data-slot="E1"]').waitFor();
      await assertInReach(page, 'slots');
      await shieldDown(page);
      await page.locator('[data-slot="E1"]').tap();
      await page.getByRole('button', { name: 'Continue with E1' }).tap();
      await page.getByRole('heading', { name: 'Your vehicle number' }).waitFor();
      await assertInReach(page, 'vehicle');
      await page.getByRole('button', { name: /^Later/ }).tap();
      await page.getByRole('group', { name: 'Start time' }).waitFor();
      await assertInReach(page, 'vehicle (later)');
      await page.getByRole('button', { name: /^Now/ }).tap();
      await typeKeys(page, 'UP16AA0001');
      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByTestId('readback-yes').tap(); // "Is this your vehicle?" (PlateReadback)
      await page.getByRole('heading', { name: 'Check and book' }).waitFor();
      await assertInReach(page, 'confirm');
      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByTestId('countdown').waitFor();
      await assertInReach(page, 'confirmation');
      await shieldDown(page);
      await page.getByRole('button', { name: 'Cancel booking' }).tap();
      await page.getByRole('alertdialog').waitFor();
      await assertInReach(page, 'cancel dialog');
      await page.getByRole('button', { name: 'No, keep it' }).tap();
      await server.client().clock.advance.mutate({ ms: HOUR });
      await page.getByRole('heading', { name: 'Booking expired' }).waitFor({ timeout: 15_000 });
      await assertInReach(page, 'expired');
      await page.getByRole('button', { name: 'Exit' }).tap();
      await page.getByRole('button', { name: 'Find my booking' }).tap();
      await page.getByRole('heading', { name: 'Find my booking' }).waitFor();
      await assertInReach(page, 'find');
      await page.clock.fastForward(61_000);
      await page.getByRole('alertdialog', { name: 'Need more time?' }).waitFor();
      await assertInReach(page, 'need more time');
    } finally {
      await context.close();
    }
  });
});

describe('timeouts', () => {
  it('asks "Need more time?" with at least 20 seconds to answer and a big More time button; a tap on the question only answers it', async () => {
    const { context, page } = await openKiosk('portrait', { fakeClock: true });
    try {
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator('[data-slot="M1"]').tap();
      await page.getByRole('button', { name: 'Continue with M1' }).tap();
      await typeKeys(page, 'KL01');
      const keyBox = (await page.locator('.plate-keyboard [data-skbtn="Q"]').boundingBox())!;

      await page.clock.fastForward(61_000);
      const dialog = page.getByRole('alertdialog', { name: 'Need more time?' });
      await dialog.waitFor();
      const seconds = Number(await page.locator('.idle-seconds').textContent());
      expect(seconds).toBeGreaterThanOrEqual(20);
      const more = (await page.getByRole('button', { name: 'More time' }).boundingBox())!;
      expect(more.height).toBeGreaterThanOrEqual(120);
      expect(more.width).toBeGreaterThanOrEqual(300);
      // 19 s later it is still asking.
      await page.clock.fastForward(19_000);
      expect(await dialog.isVisible()).toBe(true);

      // A tap where the Q key is under the question answers it and types nothing.
      await page.touchscreen.tap(keyBox.x + keyBox.width / 2, keyBox.y + keyBox.height / 2);
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.locator('#vehicle-number').inputValue()).toBe('KL01');

      // A key on the question answers it too, and types nothing.
      await page.clock.fastForward(61_000);
      await dialog.waitFor();
      await page.keyboard.press('7');
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.locator('#vehicle-number').inputValue()).toBe('KL01');
    } finally {
      await context.close();
    }
  });

  it('dims the idle home screen; the first tap or key only wakes it and never presses the button under it', async () => {
    const { context, page } = await openKiosk('portrait', { fakeClock: true });
    try {
      const book = (await page.getByRole('button', { name: 'Book a slot' }).boundingBox())!;
      await page.clock.fastForward(121_000);
      await page.getByTestId('dim-layer').waitFor();
      await page.touchscreen.tap(book.x + book.width / 2, book.y + book.height / 2);
      await page.getByTestId('dim-layer').waitFor({ state: 'detached' });
      expect(await page.getByRole('heading', { name: 'Choose a slot' }).count(), 'the tap did not book').toBe(0);
      expect(await page.getByRole('button', { name: 'Book a slot' }).isVisible()).toBe(true);
      // Awake, the next deliberate tap works.
      await shieldDown(page);
      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.getByRole('heading', { name: 'Choose a slot' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Book a slot' }).waitFor();

      // Asleep again, with the focus on Book a slot: Enter only wakes.
      await arrowTo(page, page.getByRole('button', { name: 'Book a slot' }), 'Book a slot');
      await page.clock.fastForward(121_000);
      await page.getByTestId('dim-layer').waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('dim-layer').waitFor({ state: 'detached' });
      expect(await page.getByRole('heading', { name: 'Choose a slot' }).count(), 'the key did not book').toBe(0);
    } finally {
      await context.close();
    }
  });
});
