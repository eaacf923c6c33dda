import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newKioskPage, screenshot, VIEWPORTS } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';

/**
 * The driver's kiosk, driven as a driver would on the touchscreen viewport (taps only, the
 * on-screen keyboard for every letter), against the real HTTP server with its test clock.
 */
const root = join(import.meta.dirname, '..', '..');
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';
const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const HOUR = 3_600_000;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ staticDir }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Orientation = 'portrait' | 'landscape';

async function openKiosk(orientation: Orientation = 'portrait', options: { fakeClock?: boolean } = {}) {
  const { context, page } = await newKioskPage(browser, 'about:blank', orientation);
  if (options.fakeClock) await page.clock.install();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Book a slot' }).waitFor();
  return { context, page, errors };
}

/** axe-core on what is on screen now; serious and critical violations fail the test. */
async function audit(page: Page, screen: string) {
  // The kiosk's CSP forbids inline scripts (rightly), so axe goes in through the debugger protocol.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `axe on the ${screen} screen`).toEqual([]);
}

/** Every interactive thing on screen is at least finger-sized (64 px). */
async function assertFingerSized(page: Page, screen: string) {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input, [role="button"]')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 64 || box.height < 64))
      .map(({ el, box }) => `${el.textContent?.trim() || el.getAttribute('aria-label')} ${Math.round(box.width)}x${Math.round(box.height)}`),
  );
  expect(small, `targets under 64 px on the ${screen} screen`).toEqual([]);
}

/** Types on the on-screen keyboard, one tap per key. */
async function typeKeys(page: Page, text: string) {
  for (const char of text) {
    const key = char === ' ' ? '{space}' : char.toUpperCase();
    await page.locator(`.plate-keyboard [data-skbtn="${key}"]`).tap();
  }
}

const countdownSeconds = async (page: Page) => {
  const text = (await page.getByTestId('countdown').textContent()) ?? '';
  const [h, m, s] = text.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

async function bookThroughUi(page: Page, slot: string, plate: string) {
  await page.getByRole('button', { name: 'Book a slot' }).tap();
  await page.locator(`[data-slot="${slot}"]`).tap();
  await page.getByRole('button', { name: `Continue with ${slot}` }).tap();
  await typeKeys(page, plate);
  await page.getByRole('button', { name: 'Next' }).tap();
  await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
  await page.getByTestId('countdown').waitFor();
  return (await page.getByTestId('reference').textContent())!;
}

const snap = (page: Page, name: string, orientation: Orientation) => screenshot(page, `kiosk-${name}-${orientation}`);

describe.each(['portrait', 'landscape'] as const)('every screen at %s', (orientation) => {
  it('walks home → slots → vehicle → confirm → confirmation → expired → find → idle, audited and photographed', async () => {
    const { context, page, errors } = await openKiosk(orientation, { fakeClock: true });
    const slot = orientation === 'portrait' ? 'A4' : 'A5';
    const plate = orientation === 'portrait' ? 'KL07AB1234' : 'MH12DE1432';
    try {
      // The layout never overflows the screen: no page-level scrolling at either orientation.
      const size = VIEWPORTS[orientation];
      const overflow = () => page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));

      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Marine Drive Parking');
      await audit(page, 'home');
      await assertFingerSized(page, 'home');
      await snap(page, 'home', orientation);
      expect(await overflow()).toEqual({ w: size.width, h: size.height });

      await page.getByRole('button', { name: 'Book a slot' }).tap();
      await page.locator(`[data-slot="${slot}"]`).tap();
      await expect.poll(() => page.locator(`[data-slot="${slot}"]`).getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => page.locator('.selection-summary').textContent()).toContain(`Slot ${slot} selected`);
      await audit(page, 'slots');
      await assertFingerSized(page, 'slots');
      await snap(page, 'slots', orientation);
      expect(await overflow()).toEqual({ w: size.width, h: size.height });

      await page.getByRole('button', { name: `Continue with ${slot}` }).tap();
      await typeKeys(page, plate);
      await expect.poll(() => page.locator('#vehicle-feedback').textContent()).toContain('Will be booked as');
      await audit(page, 'vehicle');
      await assertFingerSized(page, 'vehicle');
      await snap(page, 'vehicle', orientation);
      await page.getByRole('button', { name: /^Later/ }).tap();
      await page.getByRole('group', { name: 'Start time' }).waitFor();
      await audit(page, 'vehicle (advance)');
      await assertFingerSized(page, 'vehicle (advance)');
      await snap(page, 'advance', orientation);
      expect(await overflow()).toEqual({ w: size.width, h: size.height });
      await page.getByRole('button', { name: /^Now/ }).tap();

      await page.getByRole('button', { name: 'Next' }).tap();
      await page.getByRole('heading', { name: 'Check and book' }).waitFor();
      await audit(page, 'confirm');
      await assertFingerSized(page, 'confirm');
      await snap(page, 'confirm', orientation);

      await page.getByRole('button', { name: 'Book Selected Slot' }).tap();
      await page.getByRole('heading', { name: /You are booked/ }).waitFor();
      await audit(page, 'confirmation');
      await assertFingerSized(page, 'confirmation');
      await snap(page, 'confirmation', orientation);
      expect(await overflow()).toEqual({ w: size.width, h: size.height });

      await page.getByRole('button', { name: 'Cancel booking' }).tap();
      await page.getByRole('alertdialog').waitFor();
      await audit(page, 'cancel dialog');
      await snap(page, 'cancel-dialog', orientation);
      await page.getByRole('button', { name: 'No, keep it' }).tap();

      const reference = (await page.getByTestId('reference').textContent())!;
      await server.client().clock.advance.mutate({ ms: HOUR });
      await page.getByRole('heading', { name: 'Booking expired' }).waitFor({ timeout: 10_000 });
      await audit(page, 'expired');
      await assertFingerSized(page, 'expired');
      await snap(page, 'expired', orientation);

      await page.getByRole('button', { name: 'Exit' }).tap();
      await page.getByRole('button', { name: /Find my booking/ }).tap();
      await page.locator('#find-reference').tap();
      await typeKeys(page, reference);
      await page.locator('#find-vehicle').tap();
      await typeKeys(page, plate);
      await audit(page, 'find');
      await assertFingerSized(page, 'find');
      await snap(page, 'find', orientation);

      await page.clock.fastForward(61_000);
      await page.getByRole('alertdialog', { name: 'Still there?' }).waitFor();
      await audit(page, 'still there');
      await snap(page, 'idle', orientation);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
