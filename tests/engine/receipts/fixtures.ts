import type { ReceiptPayload } from '../../../electron/core/receipts/payload';

/** A typical receipt: a one-hour booking with a car wash, times on whole seconds. */
export const typicalReceipt = (overrides: Partial<ReceiptPayload> = {}): ReceiptPayload => ({
  kind: 'booking',
  reference: '7FK9QX',
  lotId: 1,
  lotName: 'Central Station Lot',
  slotLabel: 'B-12',
  plate: 'KA-01-AB-1234',
  startMs: Date.UTC(2026, 11, 2, 9, 30, 0),
  endMs: Date.UTC(2026, 11, 2, 10, 30, 0),
  items: [
    { kind: 'parking', amount: 6000 },
    { kind: 'car_wash', amount: 15000 },
  ],
  currency: 'INR',
  tariffVersion: '2026-11',
  kioskId: 'kiosk-entrance-1',
  issuedAtMs: Date.UTC(2026, 11, 2, 9, 30, 4),
  ...overrides,
});
