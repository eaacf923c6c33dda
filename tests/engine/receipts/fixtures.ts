import { expect } from 'vitest';
import type { PrintOutcome } from '../../../electron/core/printing/network-printer';
import { ensureSigningKey, MemoryReceiptKeyStore } from '../../../electron/core/receipts/keys';
import type { ReceiptPayload } from '../../../electron/core/receipts/payload';
import { issueReceipt } from '../../../electron/core/receipts/sign';

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

/** The printing tests' bound: every job ends within its printer's timeout plus this. */
export const PRINT_TIMEOUT_MS = 1500;
export const PRINT_SLACK_MS = 1000;

/** The signing key of the printing tests' lot, and a receipt signed with it. */
export const printingKeyStore = new MemoryReceiptKeyStore();
const printingKey = ensureSigningKey(printingKeyStore, 'Central Station Lot', Date.UTC(2026, 11, 1));
export const signedReceipt = (payload: ReceiptPayload = typicalReceipt()) => ({ payload, text: issueReceipt(payload, printingKey) });

/** Runs a print job and checks it came back typed and within the bound, whatever happened. */
export async function timedPrint(run: () => Promise<PrintOutcome>, timeoutMs = PRINT_TIMEOUT_MS): Promise<PrintOutcome> {
  const started = performance.now();
  const outcome = await run();
  const wall = performance.now() - started;
  expect(wall).toBeLessThan(timeoutMs + PRINT_SLACK_MS);
  expect(outcome.elapsedMs).toBeLessThanOrEqual(Math.ceil(wall) + 1);
  return outcome;
}
