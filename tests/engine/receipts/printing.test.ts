import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendToNetworkPrinter } from '../../../electron/core/printing/network-printer';
import { createPrintQueue } from '../../../electron/core/printing/print-queue';
import { printReceipt, type PrinterConfig } from '../../../electron/core/printing/print-receipt';
import { parsePrinterConfig } from '../../../electron/core/printing/printer-config';
import { layoutReceipt } from '../../../electron/core/printing/receipt-layout';
import { trustedKeys } from '../../../electron/core/receipts/keys';
import { verifyReceipt } from '../../../electron/core/receipts/verify';
import { decodeEscPos } from '../../support/escpos-decode';
import { startFakePrinter, type FakePrinter, type FakePrinterBehaviour } from '../../support/fake-printer';
import { PRINT_TIMEOUT_MS, printingKeyStore, signedReceipt, timedPrint, typicalReceipt } from './fixtures';

const TIMEOUT_MS = PRINT_TIMEOUT_MS;

const printers: FakePrinter[] = [];
afterEach(async () => {
  await Promise.all(printers.splice(0).map((p) => p.close()));
});
const fake = async (behaviour?: FakePrinterBehaviour) => {
  const printer = await startFakePrinter(behaviour);
  printers.push(printer);
  return printer;
};
const config = (port: number, overrides: Partial<Extract<PrinterConfig, { kind: 'network' }>> = {}): PrinterConfig =>
  ({
    ...parsePrinterConfig({ kind: 'network', host: '127.0.0.1', port, timeoutMs: TIMEOUT_MS }),
    ...overrides,
  }) as PrinterConfig;

const store = printingKeyStore;
const signed = signedReceipt;
const timed = timedPrint;

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('printing a receipt on a network ESC/POS printer', () => {
  it('prints: the captured bytes decode to the receipt text lines and a QR code holding the signed receipt', async () => {
    const printer = await fake();
    const { payload, text } = signed();
    const outcome = await timed(() => printReceipt(config(printer.port), payload, text));
    expect(outcome).toMatchObject({ ok: true, closedByPrinter: true, status: { paperOut: false, coverOpen: false } });

    const [bytes] = await printer.waitForJobs(1);
    const job = decodeEscPos(bytes!);
    const layout = layoutReceipt(payload, { columns: 42 });
    expect(job.lines.filter((l) => l.trim() !== '')).toEqual([...layout.heading, ...layout.body, ...layout.footer]);
    expect(job.lines).toContain('Plate                        KA-01-AB-1234');
    expect(job.lines).toContain('Total                           INR 210.00');
    expect(job.boldLines.map((l) => l.trim())).toEqual(['Central Station Lot']);
    expect(job.qrCodes).toEqual([text]);
    expect(verifyReceipt(job.qrCodes[0], trustedKeys(store))).toMatchObject({ valid: true, payload });
    expect(job.statusQueries).toEqual([2, 4]);
    expect(job.cut).toBe(true);
  });

  it('wraps a long lot name and lays out for narrow 58 mm paper', async () => {
    const printer = await fake();
    const { payload, text } = signed(typicalReceipt({ lotName: 'Municipal Multi-Level Parking Garage North Wing' }));
    expect((await printReceipt(config(printer.port, { columns: 32 }), payload, text)).ok).toBe(true);
    const job = decodeEscPos((await printer.waitForJobs(1))[0]!);
    expect(job.lines.every((l) => l.length <= 32)).toBe(true);
    expect(job.boldLines.map((l) => l.trim()).join(' ')).toBe(payload.lotName);
    expect(job.qrCodes).toEqual([text]);
  });

  it('out of paper: OUT_OF_PAPER from the status answer, before any receipt byte is sent', async () => {
    const printer = await fake({ kind: 'ok', state: { paperOut: true } });
    const { payload, text } = signed();
    const outcome = await timed(() => printReceipt(config(printer.port), payload, text));
    expect(outcome).toMatchObject({ ok: false, reason: 'OUT_OF_PAPER', phase: 'status' });
    const job = decodeEscPos((await printer.waitForJobs(1))[0]!);
    expect(job.lines).toEqual([]);
    expect(job.qrCodes).toEqual([]);
  });

  it('cover open: COVER_OPEN', async () => {
    const printer = await fake({ kind: 'ok', state: { coverOpen: true } });
    const { payload, text } = signed();
    expect(await timed(() => printReceipt(config(printer.port), payload, text))).toMatchObject({ ok: false, reason: 'COVER_OPEN' });
  });

  it('nobody listening: REFUSED, at once', async () => {
    const port = await closedPort();
    const { payload, text } = signed();
    const outcome = await timed(() => printReceipt(config(port), payload, text));
    expect(outcome).toMatchObject({ ok: false, reason: 'REFUSED', phase: 'connect' });
  });

  it('a printer that accepts and never reads: TIMEOUT within the bound, whether it is asked for status or not', async () => {
    const printer = await fake({ kind: 'black-hole' });
    const { payload, text } = signed();
    expect(await timed(() => printReceipt(config(printer.port), payload, text))).toMatchObject({ ok: false, reason: 'TIMEOUT', phase: 'status' });
    // Without the status query a small job fits the socket buffers; the printer never confirms it.
    expect(await timed(() => printReceipt(config(printer.port, { statusCheck: 'off' }), payload, text))).toMatchObject({
      ok: false,
      reason: 'TIMEOUT',
      phase: 'finish',
    });
    // A job larger than every buffer on the way stalls mid-write; still bounded.
    const huge = new Uint8Array(64 * 1024 * 1024).fill(0x41);
    const stalled = await timed(() => sendToNetworkPrinter({ host: '127.0.0.1', port: printer.port }, huge, { timeoutMs: TIMEOUT_MS, statusCheck: 'off' }));
    expect(stalled).toMatchObject({ ok: false, reason: 'TIMEOUT', phase: 'write' });
    expect(printer.connections()).toBe(3);
  });

  it('a connection reset in the middle of a job: RESET', async () => {
    const printer = await fake({ kind: 'reset-after', bytes: 64 * 1024 });
    const job = new Uint8Array(16 * 1024 * 1024).fill(0x41);
    const outcome = await timed(() => sendToNetworkPrinter({ host: '127.0.0.1', port: printer.port }, job, { timeoutMs: TIMEOUT_MS, statusCheck: 'off' }));
    expect(outcome).toMatchObject({ ok: false, reason: 'RESET' });
    const [received] = await printer.waitForJobs(1);
    expect(received!.length).toBeLessThan(job.length);
  });

  it('a printer that never answers status prints with statusCheck best-effort, and times out with require', async () => {
    const printer = await fake({ kind: 'no-status' });
    const { payload, text } = signed();
    const best = await timed(() => printReceipt(config(printer.port, { statusCheck: 'best-effort' }), payload, text));
    expect(best).toMatchObject({ ok: true, status: null, closedByPrinter: true });
    expect(decodeEscPos((await printer.waitForJobs(1))[0]!).qrCodes).toEqual([text]);
    expect(await timed(() => printReceipt(config(printer.port), payload, text))).toMatchObject({ ok: false, reason: 'TIMEOUT', phase: 'status' });
  });

  it('no printer set up, or a receipt that cannot be laid out: a typed failure, never a throw', async () => {
    const { payload, text } = signed();
    expect(await printReceipt({ kind: 'none' }, payload, text)).toMatchObject({ ok: false, reason: 'NOT_CONFIGURED' });
    const broken = { ...payload, currency: 'not a currency' };
    expect(await printReceipt(config(await closedPort()), broken, text)).toMatchObject({ ok: false, reason: 'FAILED' });
    expect(await sendToNetworkPrinter({ host: '127.0.0.1', port: 70000 }, Uint8Array.of(1))).toMatchObject({ ok: false, reason: 'FAILED' });
  });

  it('jobs for one printer go one at a time; a long queue answers BUSY at once', async () => {
    const printer = await fake();
    const queue = createPrintQueue(2);
    const { payload, text } = signed();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => queue.run(() => printReceipt(config(printer.port), payload, text))));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.reason))).toEqual(['ok', 'ok', 'ok', 'BUSY', 'BUSY']);
    expect(printer.maxConcurrent()).toBe(1);
    expect((await printer.waitForJobs(3)).map((job) => decodeEscPos(job).qrCodes)).toEqual([[text], [text], [text]]);
    expect(queue.size()).toBe(0);
    expect(await queue.run(() => Promise.reject(new Error('bug')))).toMatchObject({ ok: false, reason: 'FAILED' });
  });

  it('printer set-up input is validated', () => {
    expect(parsePrinterConfig({ kind: 'network', host: '192.168.1.50' })).toEqual({
      kind: 'network',
      host: '192.168.1.50',
      port: 9100,
      columns: 42,
      timeoutMs: 3000,
      statusCheck: 'require',
    });
    for (const host of ['http://printer', 'printer:9100', '', 'a b', 'printer/x']) {
      expect(() => parsePrinterConfig({ kind: 'network', host })).toThrow();
    }
    expect(() => parsePrinterConfig({ kind: 'network', host: 'p', timeoutMs: 60_000 })).toThrow();
  });
});
