/**
 * The USB printer path (usb-printer.ts) against stand-ins for /dev/usb/lp0: a FIFO read by a
 * `cat` child (a printer that takes the job), a regular file, a missing path, a FIFO nobody
 * opens (open() blocks: a printer that is off line), a FIFO opened and never read (write()
 * blocks: out of paper), and a file the kiosk may not write. Each timeout must come back
 * within the bound and leave the helper child really gone.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createPrintQueue } from '../../../electron/core/printing/print-queue';
import { printReceipt, type PrinterConfig } from '../../../electron/core/printing/print-receipt';
import { parsePrinterConfig } from '../../../electron/core/printing/printer-config';
import { layoutReceipt } from '../../../electron/core/printing/receipt-layout';
import { sendToUsbPrinter } from '../../../electron/core/printing/usb-printer';
import { trustedKeys } from '../../../electron/core/receipts/keys';
import type { ReceiptPayload } from '../../../electron/core/receipts/payload';
import { verifyReceipt } from '../../../electron/core/receipts/verify';
import { bootTestKiosk, type TestKiosk } from '../../support/core';
import { decodeEscPos } from '../../support/escpos-decode';
import { PRINT_TIMEOUT_MS, printingKeyStore, signedReceipt, timedPrint } from './fixtures';

const TIMEOUT_MS = PRINT_TIMEOUT_MS;

const dir = mkdtempSync(join(tmpdir(), 'kiosk-usb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;
const path = (name: string) => join(dir, `${serial++}-${name}`);
const fifo = (name = 'lp') => {
  const at = path(name);
  const made = spawnSync('mkfifo', [at]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${String(made.stderr)}`);
  return at;
};

/** Reader children (stand-ins for the printer); every one is killed and reaped after each test. */
const readers: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map(stop));
});
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}
/** A printer that takes the job: `cat` opens the FIFO, reads to end of file, and we keep the bytes. */
function catReader(at: string): { bytes: Promise<Buffer>; child: ChildProcess } {
  const child = spawn('cat', [at], { stdio: ['ignore', 'pipe', 'ignore'] });
  readers.push(child);
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`cat ended with ${code}`))));
  });
  return { bytes, child };
}
/** A printer that is connected but never takes a byte (out of paper): opens the FIFO, never reads. */
function stuckReader(at: string): ChildProcess {
  const child = spawn('/bin/sh', ['-c', 'exec sleep 600 < "$0"', at], { stdio: 'ignore' });
  readers.push(child);
  return child;
}

const usb = (device: string, overrides: Partial<Extract<PrinterConfig, { kind: 'usb' }>> = {}): PrinterConfig =>
  ({
    ...parsePrinterConfig({ kind: 'usb', device, timeoutMs: TIMEOUT_MS }),
    ...overrides,
  }) as PrinterConfig;

const store = printingKeyStore;
const signed = signedReceipt;
const timed = timedPrint;
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The job's bytes decode to the receipt's lines, its bold heading, the cut and a QR that verifies. */
function expectReceipt(bytes: Uint8Array, payload: ReceiptPayload, text: string) {
  const job = decodeEscPos(bytes);
  const layout = layoutReceipt(payload, { columns: 42 });
  expect(job.lines.filter((l) => l.trim() !== '')).toEqual([...layout.heading, ...layout.body, ...layout.footer]);
  expect(job.lines).toContain('Plate                        KA-01-AB-1234');
  expect(job.boldLines.map((l) => l.trim())).toEqual(['Central Station Lot']);
  expect(job.qrCodes).toEqual([text]);
  expect(verifyReceipt(job.qrCodes[0], trustedKeys(store))).toMatchObject({ valid: true, payload });
  // No status query over USB (usblp status is not dependable).
  expect(job.statusQueries).toEqual([]);
  expect(job.cut).toBe(true);
}

describe('printing a receipt on a USB ESC/POS printer (a device node written from a child process)', () => {
  it('prints to a device that reads: the bytes decode to the receipt text and a QR holding the signed receipt', async () => {
    const device = fifo();
    const reader = catReader(device);
    const { payload, text } = signed();
    const outcome = await timed(() => printReceipt(usb(device), payload, text));
    expect(outcome).toMatchObject({ ok: true, status: null, closedByPrinter: true });
    const bytes = await reader.bytes;
    expect(outcome.ok && outcome.bytesSent).toBe(bytes.length);
    expectReceipt(bytes, payload, text);
  });

  it('prints to a regular file (a device node that never blocks)', async () => {
    const device = path('lp-file');
    writeFileSync(device, '');
    const { payload, text } = signed();
    expect(await timed(() => printReceipt(usb(device), payload, text))).toMatchObject({ ok: true });
    expectReceipt(readFileSync(device), payload, text);
  });

  it('a missing device: NOT_FOUND at once, and no file is created in its place', async () => {
    const device = path('unplugged');
    const { payload, text } = signed();
    const outcome = await timed(() => printReceipt(usb(device), payload, text));
    expect(outcome).toMatchObject({ ok: false, reason: 'NOT_FOUND', phase: 'connect' });
    expect(outcome.ok || outcome.detail).toMatch(/ENOENT/);
    expect(outcome.elapsedMs).toBeLessThan(TIMEOUT_MS);
    expect(() => readFileSync(device)).toThrow();
  });

  it('a device nobody reads (open blocks): TIMEOUT within the bound, and the helper child is really gone', async () => {
    const device = fifo('offline');
    let pid = 0;
    const outcome = await timed(() => sendToUsbPrinter({ device }, Uint8Array.of(0x1b, 0x40), { timeoutMs: TIMEOUT_MS, onChild: (p) => (pid = p) }));
    expect(outcome).toMatchObject({ ok: false, reason: 'TIMEOUT', phase: 'connect' });
    expect(outcome.ok || outcome.detail).toMatch(/helper killed$/);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('a device that opens and never takes the bytes (out of paper): TIMEOUT at write, helper gone', async () => {
    const device = fifo('no-paper');
    const reader = stuckReader(device);
    let pid = 0;
    // More than a pipe holds (64 kB), so the write itself blocks.
    const job = new Uint8Array(1024 * 1024).fill(0x41);
    const outcome = await timed(() => sendToUsbPrinter({ device }, job, { timeoutMs: TIMEOUT_MS, onChild: (p) => (pid = p) }));
    expect(outcome).toMatchObject({ ok: false, reason: 'TIMEOUT', phase: 'write' });
    expect(isRunning(pid)).toBe(false);
    expect(isRunning(reader.pid!)).toBe(true); // the stand-in printer is still there; only the helper died
  });

  it.skipIf(process.getuid?.() === 0)('a device the kiosk may not write: PERMISSION, with the lp group hint', async () => {
    const device = path('locked');
    writeFileSync(device, '');
    chmodSync(device, 0o000);
    const { payload, text } = signed();
    const outcome = await timed(() => printReceipt(usb(device), payload, text));
    expect(outcome).toMatchObject({ ok: false, reason: 'PERMISSION', phase: 'connect' });
    expect(outcome.ok || outcome.detail).toMatch(/EACCES.*`lp` group/);
  });

  it('USB jobs go through the queue: one at a time, and a long queue answers BUSY at once', async () => {
    const device = path('queued');
    writeFileSync(device, '');
    const { payload, text } = signed();
    const queue = createPrintQueue(1);
    const outcomes = await Promise.all([1, 2, 3].map(() => queue.run(() => printReceipt(usb(device), payload, text))));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['ok', 'ok', 'BUSY']);
    // Each job writes from the start of the file; two at once would leave it garbled.
    expectReceipt(readFileSync(device), payload, text);
    expect(queue.size()).toBe(0);
  });

  it('the set-up is validated: a device path under /dev, no `..`; any absolute path only while the tests run', () => {
    expect(parsePrinterConfig({ kind: 'usb' })).toEqual({ kind: 'usb', device: '/dev/usb/lp0', columns: 42, timeoutMs: 3000 });
    expect(parsePrinterConfig({ kind: 'usb', device: '/dev/lp1', columns: 32 })).toMatchObject({ device: '/dev/lp1', columns: 32 });
    for (const device of ['', 'dev/usb/lp0', '/dev/usb/../sda', '/dev/..', '/dev/usb/lp0;rm', '/dev/usb/lp 0']) {
      expect(() => parsePrinterConfig({ kind: 'usb', device })).toThrow();
    }
    expect(parsePrinterConfig({ kind: 'usb', device: '/tmp/lp' })).toMatchObject({ device: '/tmp/lp' });
    expect(() => parsePrinterConfig({ kind: 'usb', device: '/tmp/../etc/lp' })).toThrow();
    vi.stubEnv('KIOSK_TEST_RUN', '');
    try {
      expect(() => parsePrinterConfig({ kind: 'usb', device: '/tmp/lp' })).toThrow();
      expect(() => parsePrinterConfig({ kind: 'usb', device: '/etc/passwd' })).toThrow();
      expect(parsePrinterConfig({ kind: 'usb', device: '/dev/usb/lp0' })).toMatchObject({ device: '/dev/usb/lp0' });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(() => parsePrinterConfig({ kind: 'usb', device: '/dev/usb/lp0', timeoutMs: 60_000 })).toThrow();
  });
});

describe('a USB printer through the API', () => {
  let kiosk: TestKiosk | undefined;
  afterEach(() => {
    kiosk?.close();
    kiosk = undefined;
  });

  it('the owner sets up a USB device, receipt.print and the test page go to it, a missing device is NOT_FOUND and the booking is untouched', async () => {
    kiosk = bootTestKiosk();
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    const device = path('api-lp');
    writeFileSync(device, '');
    await expect(staff.printer.configure({ kind: 'usb', device: '/dev/usb/../sda', columns: 42, timeoutMs: 3000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await staff.printer.configure({ kind: 'usb', device, columns: 42, timeoutMs: TIMEOUT_MS });
    expect(await staff.printer.get()).toEqual({ kind: 'usb', device, columns: 42, timeoutMs: TIMEOUT_MS });
    expect(await kiosk.caller().printer.available()).toEqual({ configured: true });

    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    const { text } = await driver.receipt.get({ bookingId: made.id });
    expect(await timed(() => driver.receipt.print({ bookingId: made.id }))).toMatchObject({ ok: true });
    const job = decodeEscPos(readFileSync(device));
    expect(job.qrCodes).toEqual([text]);
    expect(job.lines.some((l) => l.includes(made.reference))).toBe(true);

    writeFileSync(device, '');
    expect(await timed(() => staff.printer.test())).toMatchObject({ ok: true });
    expect(decodeEscPos(readFileSync(device)).qrCodes).toEqual(['TEST PRINT - NOT A RECEIPT']);

    await staff.printer.configure({ kind: 'usb', device: path('unplugged'), columns: 32, timeoutMs: TIMEOUT_MS });
    expect(await timed(() => driver.receipt.print({ bookingId: made.id }))).toMatchObject({ ok: false, reason: 'NOT_FOUND' });
    await expect(driver.booking.get({ id: made.id })).resolves.toMatchObject({ status: 'booked' });
  });
});
