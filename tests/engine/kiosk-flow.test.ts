import { afterEach, expect, it } from 'vitest';
import { flowStep, NEXT_SCREENS, useKioskFlow } from '../../src/stores/kioskFlow';

afterEach(() => useKioskFlow.getState().reset());

// The kiosk's screens follow a typed table: a step it does not allow does not compile (the
// expect-error lines below fail `tsc` if the table ever allows them), and the booking screen
// always knows its booking.
it('moves only along the transition table, the booking screen with its booking', () => {
  flowStep('home').go('slots');
  flowStep('slots').go('vehicle');
  flowStep('vehicle').go('confirm');
  flowStep('confirm').showBooking(42);
  expect(useKioskFlow.getState().view).toEqual({ screen: 'booking', bookingId: 42 });
  useKioskFlow.getState().reset();
  expect(useKioskFlow.getState().view).toEqual({ screen: 'home' });

  if (Date.now() < 0) {
    // @ts-expect-error the home screen cannot skip to the vehicle step
    flowStep('home').go('vehicle');
    // @ts-expect-error the home screen shows no booking directly
    flowStep('home').showBooking(1);
    // @ts-expect-error the booking screen needs a booking id
    flowStep('confirm').go('booking');
  }
});

it('every screen of the table leads somewhere the table knows', () => {
  const screens = Object.keys(NEXT_SCREENS);
  for (const next of Object.values(NEXT_SCREENS).flat()) expect(screens).toContain(next);
});
