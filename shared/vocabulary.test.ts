import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { checkVehicleNumber, PLATE_PROBLEM_MESSAGES } from './plates';
import { asErrorReasonCode, ERROR_REASON_CODES, oneOf } from './vocabulary';

describe('the shared vocabulary', () => {
  it('lists every error reason once and reads only known ones off the wire', () => {
    expect(new Set(ERROR_REASON_CODES).size).toBe(ERROR_REASON_CODES.length);
    expect(ERROR_REASON_CODES).toContain('SLOT_TAKEN');
    expect(asErrorReasonCode('VEHICLE_BUSY')).toBe('VEHICLE_BUSY');
    expect(asErrorReasonCode('toString')).toBeUndefined();
    expect(asErrorReasonCode(undefined)).toBeUndefined();
  });

  it('keeps a reason name for the wire and its parameters on the error', () => {
    const error = new DomainError('BAD_REQUEST', 'A stay here can last at most 4 hours.', { reason: 'MAX_STAY_EXCEEDED', maxMinutes: 240 });
    expect(error.reason).toBe('MAX_STAY_EXCEEDED');
    expect(error.detail).toEqual({ reason: 'MAX_STAY_EXCEEDED', maxMinutes: 240 });
    expect(new DomainError('CONFLICT', 'Taken.', 'SLOT_TAKEN').detail).toEqual({ reason: 'SLOT_TAKEN' });
    expect(new DomainError('CONFLICT', 'Taken.').reason).toBeUndefined();
  });

  it('writes validation lists as a sentence', () => {
    expect(oneOf(['car', 'bike', 'suv'])).toBe('car, bike or suv');
    expect(oneOf(['car'])).toBe('car');
  });
});

describe('plate problems', () => {
  it.each([
    ['', 'empty'],
    ['<script>', 'characters'],
    ['A1', 'length'],
    ['ABCDEF', 'digit'],
  ] as const)('%j is typed as %s, with the server sentence beside it', (raw, problem) => {
    expect(checkVehicleNumber(raw)).toEqual({ ok: false, problem, message: PLATE_PROBLEM_MESSAGES[problem] });
  });
});
