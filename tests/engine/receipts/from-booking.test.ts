import { afterEach, describe, expect, it } from 'vitest';
import { addCarWash, createBooking, renewBooking } from '../../../electron/core/bookings/service';
import { receiptForBooking } from '../../../electron/core/receipts/from-booking';
import { ensureSigningKey, MemoryReceiptKeyStore, trustedKeys } from '../../../electron/core/receipts/keys';
import { receiptTotal } from '../../../electron/core/receipts/payload';
import { issueReceipt } from '../../../electron/core/receipts/sign';
import { verifyReceipt } from '../../../electron/core/receipts/verify';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../../support/core';

let kiosk: TestKiosk | undefined;
afterEach(() => kiosk?.close());

describe('receipts for real bookings', () => {
  it('a booking, its car wash and its renewal each get a receipt that verifies and matches the booking', async () => {
    kiosk = bootTestKiosk({ staffPin: '482916' });
    const store = new MemoryReceiptKeyStore();
    const key = ensureSigningKey(store, 'Demo Lot', T0);
    const keys = trustedKeys(store);
    const [slot] = await kiosk.caller().slot.list({});
    const context = { lotName: 'Demo Lot', kioskId: 'kiosk-1' };

    const { booking } = createBooking(kiosk.core, { slotId: slot!.id, vehicleNumber: 'ka 01 ab 1234', bookingType: 'instant' });
    const first = receiptForBooking(booking, { ...context, issuedAtMs: kiosk.clock.now() });
    const verdict = verifyReceipt(issueReceipt(first, key), keys);
    expect(verdict).toMatchObject({
      valid: true,
      payload: { kind: 'booking', reference: booking.reference, plate: 'KA-01-AB-1234', slotLabel: booking.slotLabel },
    });
    expect(verdict.valid && verdict.payload.startMs).toBe(Date.parse(booking.startTime));
    expect(verdict.valid && receiptTotal(verdict.payload)).toBe(booking.totalPrice);

    const washed = addCarWash(kiosk.core, booking.id);
    const wash = receiptForBooking(washed, { ...context, kind: 'extension', issuedAtMs: kiosk.clock.now() });
    expect(wash.items.map((i) => i.kind)).toEqual(['parking', 'car_wash']);
    expect(receiptTotal(wash)).toBe(washed.totalPrice);
    expect(verifyReceipt(issueReceipt(wash, key), keys)).toMatchObject({ valid: true, payload: { kind: 'extension' } });

    kiosk.clock.advance(HOUR);
    const { newBooking } = renewBooking(kiosk.core, booking.id);
    const renewal = receiptForBooking(newBooking, { ...context, issuedAtMs: kiosk.clock.now() });
    expect(renewal.kind).toBe('renewal');
    expect(verifyReceipt(issueReceipt(renewal, key), keys)).toMatchObject({ valid: true, payload: { kind: 'renewal', reference: newBooking.reference } });
  });
});
