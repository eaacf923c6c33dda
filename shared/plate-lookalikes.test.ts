import { describe, expect, it } from 'vitest';
import { differingPositions, groupedPlate, oneSwapLookAlikes, patternSuggestion } from './plate-lookalikes';
import { normalizeVehicleNumber as n } from './plates';

describe('look-alike plates', () => {
  it('reads a plate back grouped the way it is written', () => {
    expect(groupedPlate(n('kl08az1234'))).toBe('KL 08 AZ 1234');
    expect(groupedPlate(n('22bh1234aa'))).toBe('22 BH 1234 AA');
  });

  it('suggests the common-pattern reading when only look-alikes differ', () => {
    expect(patternSuggestion(n('KLO8AZ1234'))).toBe('KL-08-AZ-1234'); // O where a digit belongs
    expect(patternSuggestion(n('KL08AZ12S4'))).toBe('KL-08-AZ-1234'.replace('1234', '1254'));
    expect(patternSuggestion(n('KL08A21234'))).toBe('KL-08-AZ-1234'); // 2 where a letter belongs
    expect(patternSuggestion(n('MHI2 AB 1234'))).toBe('MH-12-AB-1234');
    // Already a valid reading (district 1, series ZAB): no second-guessing.
    expect(patternSuggestion(n('MH1Z AB 1234'))).toBeNull();
    expect(patternSuggestion(n('5K01AB1234'))).toBe('SK-01-AB-1234');
    expect(patternSuggestion(n('22 8H 1234 AA'))).toBe('22-BH-1234-AA');
  });

  it('stays quiet for plates that already fit, and for plates no look-alike can fix', () => {
    expect(patternSuggestion(n('KL08AZ1234'))).toBeNull();
    expect(patternSuggestion(n('DL3CAB1234'))).toBeNull();
    expect(patternSuggestion(n('22BH1234AA'))).toBeNull();
    expect(patternSuggestion(n('AB123'))).toBeNull();
    expect(patternSuggestion(n('XYZ9999999'))).toBeNull();
  });

  it('lists the plates one look-alike character away', () => {
    const near = oneSwapLookAlikes(n('KL08AZ1234'));
    // 0, 8, Z, 1 and 2 have look-alikes; K, L, A, 3 and 4 do not.
    expect(near.sort()).toEqual(['KL-0-BAZ-1234', 'KL-08-A-21234', 'KL-08-AZ-1-Z-34', 'KL-08-AZI-234', 'KLO-8-AZ-1234']);
  });

  it('marks where two readings differ', () => {
    expect(differingPositions('KL O8 AZ 1234', 'KL 08 AZ 1234')).toEqual([3]);
  });
});
