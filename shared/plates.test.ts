import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { checkVehicleNumber, normalizeVehicleNumber } from './plates';

describe('normalizeVehicleNumber', () => {
  it('gives one spelling for the same vehicle however it is typed', () => {
    for (const raw of ['kl 08 az 1234', 'KL-08-AZ-1234', 'KL08AZ1234', '  kl08-az 1234 ', 'KL.08.AZ.1234', 'kl/08/az/1234', 'KL 08AZ1234']) {
      expect(normalizeVehicleNumber(raw)).toBe('KL-08-AZ-1234');
    }
  });

  it('keeps other plate shapes readable', () => {
    expect(normalizeVehicleNumber('22 BH 1234 AA')).toBe('22-BH-1234-AA');
    expect(normalizeVehicleNumber('dl3cab1234')).toBe('DL-3-CAB-1234');
    expect(normalizeVehicleNumber('AB 123')).toBe('AB-123');
  });

  it.each([
    ['', /Enter the vehicle number/],
    ['   ', /Enter the vehicle number/],
    ['KL08AZ1234; DROP TABLE bookings', /only letters, digits/],
    ['<script>', /only letters, digits/],
    ['KL08Ä1234', /only letters, digits/],
    ['ABCDEF', /at least one digit/],
    ['A1', /3 to 12/],
    ['KL 08 AZ 1234 5678 9', /3 to 12/],
    ['K'.repeat(10) + '1'.repeat(11), /only letters|3 to 12/],
    ['--- 1 ---', /3 to 12/],
  ])('rejects %j with a clear BAD_REQUEST', (raw, message) => {
    let error: unknown;
    try {
      normalizeVehicleNumber(raw);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_REQUEST');
    expect((error as DomainError).message).toMatch(message);
    expect(checkVehicleNumber(raw)).toMatchObject({ ok: false, message: (error as DomainError).message });
  });

  it('is idempotent and ignores case and separators (property)', () => {
    const chunk = fc.stringMatching(/^[A-Za-z]{1,3}$|^[0-9]{1,4}$/);
    const separator = fc.constantFrom('', ' ', '-', '  ', '.', ' - ');
    fc.assert(
      fc.property(fc.array(fc.tuple(chunk, separator), { minLength: 2, maxLength: 4 }), (parts) => {
        const raw = parts.map(([text, sep]) => text + sep).join('');
        const result = checkVehicleNumber(raw);
        if (!result.ok) return;
        expect(normalizeVehicleNumber(result.value)).toBe(result.value);
        expect(normalizeVehicleNumber(raw.toLowerCase())).toBe(result.value);
        expect(normalizeVehicleNumber(raw.replace(/[\s.-]/g, ''))).toBe(result.value);
        expect(result.value).toMatch(/^[A-Z0-9]+(-[A-Z0-9]+)*$/);
      }),
      { numRuns: 500 },
    );
  });
});
