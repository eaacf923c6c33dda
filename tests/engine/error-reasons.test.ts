import { afterEach, expect, it } from 'vitest';
import { bootTestKiosk, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

// Screens tell "the slot is gone" from "this vehicle is already parked" by a stable reason,
// not by parsing the English message.
it('CONFLICT errors carry a stable reason: SLOT_TAKEN or VEHICLE_BUSY', async () => {
  kiosk = bootTestKiosk();
  const anon = kiosk.caller();
  await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01AB1111', bookingType: 'instant' });
  const slotTaken = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01AB2222', bookingType: 'instant' }).catch((e) => e);
  expect(slotTaken).toMatchObject({ code: 'CONFLICT' });
  expect(slotTaken.cause).toMatchObject({ reason: 'SLOT_TAKEN' });
  const vehicleBusy = await anon.booking.create({ slotId: 2, vehicleNumber: 'ka 01 ab 1111', bookingType: 'instant' }).catch((e) => e);
  expect(vehicleBusy).toMatchObject({ code: 'CONFLICT' });
  expect(vehicleBusy.cause).toMatchObject({ reason: 'VEHICLE_BUSY' });
});
