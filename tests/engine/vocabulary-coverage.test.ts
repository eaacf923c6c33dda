import { expect, it } from 'vitest';
import { ERROR_REASON_CODES, VEHICLE_TYPES } from '../../shared/vocabulary';
import { en } from '../../src/i18n/en';
import { hi } from '../../src/i18n/hi';
import { VEHICLE_DISPLAY_ORDER, VEHICLE_FILTERS } from '../../src/lib/vehicles';
import { VEHICLE_LABELS } from '../../src/staff/format';

// The renderer may list vehicle types in its own order, but never miss or invent one.
it('every display list of vehicle types names each type of the vocabulary once', () => {
  expect([...VEHICLE_DISPLAY_ORDER].sort()).toEqual([...VEHICLE_TYPES].sort());
  expect(VEHICLE_FILTERS).toEqual(['all', ...VEHICLE_DISPLAY_ORDER]);
  for (const labels of [en.vehicleTypes, hi.vehicleTypes]) expect(Object.keys(labels).sort()).toEqual(['all', ...VEHICLE_TYPES].sort());
  expect(Object.keys(VEHICLE_LABELS).sort()).toEqual([...VEHICLE_TYPES].sort());
});

it('the catalogs translate only reasons the core can give', () => {
  for (const catalog of [en, hi]) {
    for (const reason of Object.keys(catalog.errors.reasons)) expect(ERROR_REASON_CODES).toContain(reason);
  }
});
