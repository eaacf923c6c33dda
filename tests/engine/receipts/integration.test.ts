/**
 * Receipts wired into the kiosk: issued in the booking's own transaction, stored once,
 * verified, printed through receipt.print to a fake printer, and a PDF from the console.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { issueReceipt } from '../../../electron/core/receipts/service';
import { runInTransaction } from '../../../electron/core/shared/unit-of-work';
import { layoutReceipt } from '../../../electron/core/printing/receipt-layout';
import { decodePayload } from '../../../electron/core/receipts/payload';
import { decodeEnvelope, textToBody } from '../../../electron/core/receipts/codec';
import { decodeEscPos } from '../../support/escpos-decode';
import { startFakePrinter, type FakePrinter } from '../../support/fake-printer';
import { bootTestKiosk, HOUR, type TestKiosk } from '../../support/core';

let kiosk: TestKiosk;
const printers: FakePrinter[] = [];
afterEach(async () => {
  kiosk?.close();
  await Promise.all(printers.splice(0).map((p) => p.close()));
});

const count = (sql: string) => (kiosk.core.db.sqlite.prepare(sql).get() as { n: number }).n;

/** The payload inside receipt text, read without checking the signature (for comparisons). */
const payloadIn = (text: string) => {
  const body = textToBody(text);
  if (!body.ok) throw new Error(body.detail);
  const env = decodeEnvelope(body.value[0] === 0x78 ? new Uint8Array(inflateSync(body.value)) : body.value);
  if (!env.ok) throw new Error(env.detail);
  return decodePayload(env.value.payload);
};

/** One character changed to another Base45 character. */
const alterOne = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

async function owner() {
  return kiosk.caller(await kiosk.staffToken('482916'));
}

describe('receipts in the booking flow', () => {
  it('issues the receipt in the booking transaction: one receipt per booking, with the kiosk id, and it verifies', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    expect(count('SELECT count(*) AS n FROM receipts')).toBe(1);
    const driver = kiosk.caller(made.accessToken);
    const receipt = await driver.receipt.get({ bookingId: made.id });
    expect(receipt).toMatchObject({ kind: 'booking', issuedAt: made.createdAt });
    expect(receipt.text).toMatch(/^PK1:[0-9A-Z $%*+\-./:]+$/);
    expect(receipt.all).toHaveLength(1);
    const payload = payloadIn(receipt.text);
    const kioskId = (kiosk.core.db.sqlite.prepare("SELECT value FROM settings WHERE key = 'kiosk_id'").get() as { value: string }).value;
    expect(kioskId).toMatch(/^kiosk-[0-9a-f]{6}$/);
    expect(payload).toMatchObject({ reference: made.reference, plate: made.vehicleNumber, slotLabel: made.slotLabel, kioskId, kind: 'booking' });
    // Reads return the stored text, byte for byte.
    expect((await driver.receipt.get({ bookingId: made.id })).text).toBe(receipt.text);

    const staff = await owner();
    const verdict = await staff.receipt.verify({ text: `${receipt.text.toLowerCase()}\n` });
    expect(verdict).toMatchObject({
      valid: true,
      reference: made.reference,
      plate: made.vehicleNumber,
      slotLabel: made.slotLabel,
      issuer: { own: true },
      booking: { id: made.id, status: 'booked' },
    });
  });

  it('refuses altered text: every one-character change at a spread of positions is invalid', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const { text } = await kiosk.caller(made.accessToken).receipt.get({ bookingId: made.id });
    const staff = await owner();
    for (let at = 4; at < text.length; at += 7) {
      const verdict = await staff.receipt.verify({ text: alterOne(text, at) });
      expect(verdict.valid, `changed at ${at}`).toBe(false);
    }
    await expect(staff.receipt.verify({ text: 'hello' })).resolves.toMatchObject({ valid: false, reason: 'MALFORMED' });
  });

  it('leaves no receipt when the booking rolls back, and no booking when the receipt cannot be stored', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    expect(() =>
      runInTransaction(kiosk.core, (tx) => {
        issueReceipt(kiosk.core, tx, made.id, 'extension');
        throw new Error('something later in the transaction failed');
      }),
    ).toThrow('later');
    expect(count('SELECT count(*) AS n FROM receipts')).toBe(1);

    kiosk.core.db.sqlite.exec("CREATE TEMP TRIGGER receipts_refuse BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    await expect(kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'KA02CD5678', bookingType: 'instant' })).rejects.toThrow();
    expect(count("SELECT count(*) AS n FROM bookings WHERE vehicle_number = 'KA02CD5678'")).toBe(0);
    kiosk.core.db.sqlite.exec('DROP TRIGGER receipts_refuse');
    await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'KA02CD5678', bookingType: 'instant' });
    expect(count('SELECT count(*) AS n FROM receipts')).toBe(2);
  });

  it('a renewal issues exactly one renewal receipt on the new booking; a car wash adds an extension receipt', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    await driver.booking.addCarWash({ id: made.id });
    const afterWash = await driver.receipt.get({ bookingId: made.id });
    expect(afterWash.all.map((r) => r.kind)).toEqual(['booking', 'extension']);
    expect(payloadIn(afterWash.text).items.map((i) => i.kind)).toEqual(['parking', 'car_wash']);
    expect(payloadIn(afterWash.all[0]!.text).items.map((i) => i.kind)).toEqual(['parking']);

    kiosk.clock.advance(2 * HOUR);
    const renewed = await driver.booking.renew({ id: made.id });
    expect(count('SELECT count(*) AS n FROM receipts')).toBe(3);
    const next = await kiosk.caller(renewed.accessToken).receipt.get({ bookingId: renewed.newBooking.id });
    expect(next.all.map((r) => r.kind)).toEqual(['renewal']);
    expect(payloadIn(next.text)).toMatchObject({ kind: 'renewal', reference: renewed.newBooking.reference });
    await expect((await owner()).receipt.verify({ text: next.text })).resolves.toMatchObject({ valid: true, kind: 'renewal' });
  });

  it('exports the public key as PEM and compact text, made on first use', async () => {
    kiosk = bootTestKiosk();
    const keys = await kiosk.caller().receipt.publicKey();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(keys[0]!.compact).toMatch(/^PKK1:[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{43}$/);
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const verdict = await (await owner()).receipt.verify({ text: (await kiosk.caller(made.accessToken).receipt.get({ bookingId: made.id })).text });
    expect(verdict).toMatchObject({ valid: true, keyId: keys[0]!.keyId });
  });
});

describe('printing and PDF through the API', () => {
  it('prints the stored receipt to a fake printer: the bytes decode to its lines and its QR payload', async () => {
    kiosk = bootTestKiosk();
    const printer = await startFakePrinter();
    printers.push(printer);
    const staff = await owner();
    expect(await kiosk.caller().printer.available()).toEqual({ configured: false });
    await staff.printer.configure({ kind: 'network', host: '127.0.0.1', port: printer.port, columns: 42, timeoutMs: 3000, statusCheck: 'require' });
    expect(await kiosk.caller().printer.available()).toEqual({ configured: true });
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    const { text } = await driver.receipt.get({ bookingId: made.id });
    const outcome = await driver.receipt.print({ bookingId: made.id });
    expect(outcome).toMatchObject({ ok: true });
    const job = decodeEscPos((await printer.waitForJobs(1))[0]!);
    const layout = layoutReceipt(payloadIn(text), { columns: 42, timeZone: 'Asia/Kolkata' });
    expect(job.lines.filter((l) => l.trim() !== '')).toEqual([...layout.heading, ...layout.body, ...layout.footer]);
    expect(job.lines.some((l) => l.includes(made.reference))).toBe(true);
    expect(job.qrCodes).toEqual([text]);
    const audit = kiosk.core.db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'printer.configure'").get() as { n: number };
    expect(audit.n).toBe(1);
    await expect(staff.printer.test()).resolves.toMatchObject({ ok: true });
    const testJob = decodeEscPos((await printer.waitForJobs(2))[1]!);
    expect(testJob.qrCodes).toEqual(['TEST PRINT - NOT A RECEIPT']);
  });

  it('a dead printer never hurts the booking: a typed failure, fast', async () => {
    kiosk = bootTestKiosk();
    const gone = await startFakePrinter();
    const deadPort = gone.port;
    await gone.close();
    const hole = await startFakePrinter({ kind: 'black-hole' });
    printers.push(hole);
    const staff = await owner();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    await expect(driver.receipt.print({ bookingId: made.id })).resolves.toMatchObject({ ok: false, reason: 'NOT_CONFIGURED' });

    await staff.printer.configure({ kind: 'network', host: '127.0.0.1', port: deadPort, columns: 32, timeoutMs: 1000, statusCheck: 'require' });
    let started = performance.now();
    await expect(driver.receipt.print({ bookingId: made.id })).resolves.toMatchObject({ ok: false, reason: 'REFUSED' });
    expect(performance.now() - started).toBeLessThan(2000);

    await staff.printer.configure({ kind: 'network', host: '127.0.0.1', port: hole.port, columns: 32, timeoutMs: 1000, statusCheck: 'require' });
    started = performance.now();
    await expect(driver.receipt.print({ bookingId: made.id })).resolves.toMatchObject({ ok: false, reason: 'TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(2000);
    // The booking and its receipt are untouched.
    await expect(driver.booking.get({ id: made.id })).resolves.toMatchObject({ status: 'booked' });
    expect(count('SELECT count(*) AS n FROM receipts')).toBe(1);
  });

  it('makes a PDF receipt: a real PDF with the reference in it', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB1234', bookingType: 'instant' });
    const { fileName, base64 } = await (await owner()).receipt.pdf({ bookingId: made.id });
    expect(fileName).toBe(`receipt-${made.reference}.pdf`);
    const pdf = Buffer.from(base64, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(`Parking receipt ${made.reference}`);
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    await expect(kiosk.caller(made.accessToken).receipt.pdf({ bookingId: made.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
