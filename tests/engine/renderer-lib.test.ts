import { TRPCClientError } from '@trpc/client';
import { expect, it } from 'vitest';
import { errorCode, errorReason } from '../../src/lib/errors';
import { formatMoney, parseMajor, toMajorText } from '../../src/lib/money';

// One of each renderer helper (issue 11 item 7): the kiosk and the console get the same answers.
it('formats minor units by the currency’s own digits, in the caller’s locale', () => {
  expect(formatMoney(6000, 'INR', 'en-IN')).toBe('₹60.00');
  expect(formatMoney(12345, 'USD', 'en-IN')).toBe('$123.45');
  expect(formatMoney(6000, 'INR', 'hi-IN')).toBe(new Intl.NumberFormat('hi-IN', { style: 'currency', currency: 'INR' }).format(60));
  expect(parseMajor('60.5')).toBe(6050);
  expect(parseMajor('12345678')).toBeNull();
  expect(parseMajor('1.234')).toBeNull();
  expect(toMajorText(6050)).toBe('60.50');
});

it('reads one error code and a known reason off a tRPC error, OFFLINE when there is no answer', () => {
  const answered = TRPCClientError.from({ error: { message: 'Taken.', code: -32009, data: { code: 'CONFLICT', httpStatus: 409, reason: 'SLOT_TAKEN' } } });
  expect(errorCode(answered)).toBe('CONFLICT');
  expect(errorReason(answered)).toBe('SLOT_TAKEN');
  const unknownReason = TRPCClientError.from({ error: { message: 'x', code: -32009, data: { code: 'CONFLICT', httpStatus: 409, reason: 'NOT_A_REASON' } } });
  expect(errorReason(unknownReason)).toBeUndefined();
  expect(errorCode(new TypeError('Failed to fetch'))).toBe('OFFLINE');
  expect(errorCode(null)).toBe('OFFLINE');
});
