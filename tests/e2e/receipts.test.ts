import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../support/escpos-decode';
import { startFakePrinter, type FakePrinter } from '../support/fake-printer';
import { launchBrowser, newKioskPage, screenshot } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';
import { bookThroughUi, openKiosk } from '../support/kiosk-page';

/**
 * A receipt end to end in Chromium: a driver books at the kiosk, the signed receipt is the
 * QR on screen, it prints to a fake ESC/POS printer (and a dead printer is said in words),
 * and staff check the text in the console (valid; one character changed, not valid).
 */
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';

let server: RunningServer;
let browser: Browser;
let printer: FakePrinter;

beforeAll(async () => {
  [server, browser, printer] = await Promise.all([startServer({ staticDir }), launchBrowser(), startFakePrinter()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await printer?.close();
});

const owner = async () => server.client((await server.client().auth.login.mutate({ pin: '482916' })).token);
const printerAt = (port: number) => ({ kind: 'network' as const, host: '127.0.0.1', port, columns: 42, timeoutMs: 1500, statusCheck: 'require' as const });

async function bookAtKiosk(orientation: 'portrait' | 'landscape', slot: string, plate: string) {
  const { context, page } = await openKiosk(browser, server.url, orientation);
  await bookThroughUi(page, slot, plate);
  // The QR code holds the signed receipt text once it has arrived.
  const qr = page.locator('[data-testid="receipt-qr"][data-receipt^="PK1:"]');
  await qr.waitFor();
  const text = (await qr.getAttribute('data-receipt'))!;
  const reference = (await page.getByTestId('reference').textContent())!;
  return { context, page, text, reference };
}

/** The confirmation fits its screen: nothing scrolls, nothing runs under the action bar. */
async function assertFits(page: Page, height: number) {
  const m = await page.evaluate(() => {
    const rect = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().toJSON() as DOMRect;
    return {
      scrolled: document.querySelector('.booking-layout')!.scrollTop,
      layout: rect('.booking-layout'),
      card: rect('.reference-card'),
      qr: rect('.qr'),
      bar: rect('.receipt-bar'),
      actions: rect('.booking-actions'),
    };
  });
  // Everything in view: not scrolled, the first card at the top, the receipt bar above the layout's bottom edge.
  expect(m.scrolled, 'the confirmation is scrolled').toBe(0);
  expect(m.card.top).toBeGreaterThanOrEqual(m.layout.top);
  expect(m.bar.bottom, 'the receipt bar is cut off').toBeLessThanOrEqual(m.layout.bottom + 1);
  expect(m.qr.bottom).toBeLessThanOrEqual(m.card.bottom);
  expect(m.qr.right).toBeLessThanOrEqual(m.card.right);
  expect(m.bar.bottom).toBeLessThanOrEqual(m.actions.top + 1);
  expect(m.actions.bottom).toBeLessThanOrEqual(height);
}

/** One character changed to another Base45 character. */
const alterOne = (text: string, at: number) => text.slice(0, at) + (text[at] === 'Q' ? 'R' : 'Q') + text.slice(at + 1);

describe('a receipt anyone can check offline', () => {
  let receiptText = '';
  let receiptReference = '';

  beforeEach(async () => {
    await (await owner()).printer.configure.mutate(printerAt(printer.port));
  });

  it('shows the signed receipt as the QR code, prints it, and says so plainly when the printer is dead', async () => {
    const { context, page, text, reference } = await bookAtKiosk('portrait', 'A4', 'KA01AB1234');
    receiptText = text;
    receiptReference = reference;
    expect(text).toMatch(/^PK1:[0-9A-Z $%*+\-./:]+$/);
    expect(await page.locator('[data-testid="receipt-qr"] svg title').textContent()).toContain(reference);

    await page.getByRole('button', { name: 'Print receipt' }).tap();
    await page.getByTestId('receipt-printed').waitFor();
    const job = decodeEscPos((await printer.waitForJobs(1, 10_000))[0]!);
    expect(job.qrCodes).toEqual([text]);
    expect(job.lines.some((line) => line.includes(reference))).toBe(true);
    expect(job.lines.some((line) => line.includes('KA-01-AB-1234'))).toBe(true);
    await screenshot(page, 'kiosk-receipt-portrait');
    await assertFits(page, 1920);

    // The printer goes away: the driver is told in words and pointed at the code on screen.
    const dead = await startFakePrinter();
    const deadPort = dead.port;
    await dead.close();
    await (await owner()).printer.configure.mutate(printerAt(deadPort));
    const started = Date.now();
    await page.getByRole('button', { name: 'Print again' }).tap();
    const fault = page.getByTestId('receipt-fault');
    await fault.waitFor();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await fault.getAttribute('data-reason')).toBe('REFUSED');
    expect(await page.getByTestId('receipt-bar').textContent()).toContain('The code on the screen is your receipt');
    await expect.poll(() => page.getByTestId('countdown').isVisible()).toBe(true);
    await screenshot(page, 'kiosk-receipt-fault-portrait');
    await assertFits(page, 1920);
    await context.close();
    await (await owner()).printer.configure.mutate(printerAt(printer.port));
  });

  it('lays the receipt out cleanly in landscape too, printed and with a printer fault', async () => {
    const { context, page } = await bookAtKiosk('landscape', 'A5', 'MH12DE1432');
    await page.getByRole('button', { name: 'Print receipt' }).tap();
    await page.getByTestId('receipt-printed').waitFor();
    await screenshot(page, 'kiosk-receipt-landscape');
    await assertFits(page, 1080);
    const hole = await startFakePrinter({ kind: 'black-hole' });
    try {
      await (await owner()).printer.configure.mutate(printerAt(hole.port));
      await page.getByRole('button', { name: 'Print again' }).tap();
      await expect.poll(() => page.getByTestId('receipt-fault').getAttribute('data-reason'), { timeout: 10_000 }).toBe('TIMEOUT');
      await screenshot(page, 'kiosk-receipt-fault-landscape');
      await assertFits(page, 1080);
    } finally {
      await (await owner()).printer.configure.mutate(printerAt(printer.port));
      await hole.close();
    }
    await context.close();
  });

  it('reissues the receipt for a corrected plate: the QR changes, and the console says the old one is void', async () => {
    const { context, page, text: before, reference } = await bookAtKiosk('portrait', 'A6', 'KA01AB7Z11');
    await page.getByTestId('plate-fix').tap();
    const sheet = page.getByTestId('plate-correction');
    await sheet.locator('.plate-keyboard [data-skbtn="{clear}"]').tap();
    for (const char of 'KA01AB7211') await sheet.locator(`.plate-keyboard [data-skbtn="${char}"]`).tap();
    await page.getByTestId('correction-next').tap();
    await page.getByTestId('readback-yes').tap();
    await page.getByTestId('plate-corrected').waitFor();
    // The QR now holds a new receipt (for the corrected plate).
    const qr = page.getByTestId('receipt-qr');
    await expect.poll(() => qr.getAttribute('data-receipt'), { timeout: 10_000 }).not.toBe(before);
    const after = (await qr.getAttribute('data-receipt'))!;
    expect(after).toMatch(/^PK1:/);
    await context.close();

    const staff = await owner();
    expect(await staff.receipt.verify.query({ text: after })).toMatchObject({ valid: true, reference, plate: 'KA-01-AB-7211', supersededAt: null });
    const console = await newKioskPage(browser, `${server.url}/#/staff`, 'desktop');
    try {
      const pin = console.page.getByLabel('PIN');
      await pin.fill('482916');
      await pin.press('Enter');
      await console.page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Receipts' }).click();
      const input = console.page.getByTestId('verify-input');
      await input.fill(before);
      await input.press('Enter');
      const verdict = console.page.getByTestId('verdict');
      await expect.poll(() => verdict.getAttribute('data-superseded'), { timeout: 10_000 }).toBe('true');
      expect(await console.page.getByTestId('verdict-superseded').textContent()).toContain('Void: replaced at');
      await screenshot(console.page, 'staff-receipts-superseded');
      await input.fill(after);
      await input.press('Enter');
      await expect.poll(() => verdict.textContent()).toContain('KA\u201101\u2011AB\u20117211');
      expect(await verdict.getAttribute('data-superseded')).toBeNull();
    } finally {
      await console.context.close();
    }
  });

  it('verifies the receipt in the console (valid), refuses it with one character changed, and makes a PDF', async () => {
    const { context, page } = await newKioskPage(browser, `${server.url}/#/staff`, 'desktop');
    const pin = page.getByLabel('PIN');
    await pin.fill('482916');
    await pin.press('Enter');
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Receipts' }).click();
    const input = page.getByTestId('verify-input');
    // A USB scanner types the text and presses Enter.
    await input.pressSequentially(receiptText, { delay: 0 });
    await input.press('Enter');
    const verdict = page.getByTestId('verdict');
    await expect.poll(() => verdict.getAttribute('data-valid')).toBe('true');
    const words = (await verdict.textContent())!;
    expect(words).toContain('Valid, issued by Marine Drive Parking');
    expect(words).toContain('for plate KA\u201101\u2011AB\u20111234, slot A4');
    expect(words).toContain(receiptReference);
    await page.getByTestId('public-pem').waitFor();
    expect(await page.getByTestId('public-pem').textContent()).toContain('BEGIN PUBLIC KEY');
    await page.getByTestId('printer-state').filter({ hasText: '127.0.0.1' }).waitFor();
    await page.getByRole('button', { name: 'Test print' }).click();
    await expect.poll(() => page.getByTestId('printer-test-outcome').textContent()).toContain('test page went to the printer');
    await screenshot(page, 'staff-receipts');

    await input.fill(alterOne(receiptText, Math.floor(receiptText.length / 2)));
    await input.press('Enter');
    await expect.poll(() => verdict.getAttribute('data-valid')).toBe('false');
    expect(await verdict.textContent()).toMatch(/Not valid/);
    await screenshot(page, 'staff-receipts-invalid');

    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Bookings' }).click();
    await page.locator(`tr[data-reference="${receiptReference}"]`).click();
    const drawer = page.getByRole('dialog', { name: /Booking details/ });
    const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByRole('button', { name: 'PDF receipt' }).click()]);
    expect(download.suggestedFilename()).toBe(`receipt-${receiptReference}.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await context.close();
  });

  it('lets the owner rotate the receipt key in the console; a receipt issued before still verifies', async () => {
    const [before] = await server.client().receipt.publicKey.query();
    const { context, page } = await newKioskPage(browser, `${server.url}/#/staff`, 'desktop');
    try {
      const pin = page.getByLabel('PIN');
      await pin.fill('482916');
      await pin.press('Enter');
      await page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Receipts' }).click();
      await page.getByRole('button', { name: 'Rotate receipt key' }).click();
      await page.getByRole('button', { name: 'Rotate now' }).click();
      await page.getByTestId('key-rotated').waitFor({ timeout: 10_000 });
      await expect.poll(() => page.getByTestId('retired-key').getAttribute('data-key-id'), { timeout: 10_000 }).toBe(before!.keyId);
      const keys = await server.client().receipt.publicKey.query();
      const signing = keys.find((key) => key.retiredAt === null)!;
      expect(signing.keyId).not.toBe(before!.keyId);
      expect(await page.getByTestId('key-rotated').textContent()).toContain(signing.keyId);
      expect(await page.getByTestId('public-pem').textContent()).toBe(signing.pem);
      // The receipt from the first test (signed with the old key) still checks out.
      const input = page.getByTestId('verify-input');
      await input.fill(receiptText);
      await input.press('Enter');
      const verdict = page.getByTestId('verdict');
      await expect.poll(() => verdict.getAttribute('data-valid')).toBe('true');
      expect(await verdict.textContent()).toContain(before!.keyId);
      await screenshot(page, 'staff-receipts-key-rotated');
    } finally {
      await context.close();
    }
  });
});
