import { afterEach, describe, expect, it, vi } from 'vitest';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => {
  vi.useRealTimers();
  kiosk?.close();
});

/** Pulls values from an in-process subscription one at a time. */
async function subscribe<T>(subscription: Promise<AsyncIterable<T>>) {
  const iterator = (await subscription)[Symbol.asyncIterator]();
  return { next: async () => (await iterator.next()).value as T, stop: () => iterator.return?.() };
}

describe('booking.watch (in-process)', () => {
  it('applies lazy expiry itself on its heartbeat: flips to completed with no expiry timer and no other request', async () => {
    kiosk = bootTestKiosk(); // the expiry timer is stopped here: only the watch can notice
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const watch = await subscribe(kiosk.caller(created.accessToken).booking.watch({ id: created.id }));
    try {
      expect(await watch.next()).toMatchObject({ status: 'booked', remainingSeconds: 3600 });
      kiosk.clock.advance(HOUR);
      const pending = watch.next();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await pending).toMatchObject({ status: 'completed', isExpired: true, remainingSeconds: 0 });
    } finally {
      await watch.stop();
    }
  });

  it('yields again as soon as the booking changes, without waiting for the heartbeat', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const watch = await subscribe(kiosk.caller(created.accessToken).booking.watch({ id: created.id }));
    try {
      expect((await watch.next()).status).toBe('booked');
      const pending = watch.next();
      const started = Date.now();
      await kiosk.caller(await kiosk.staffToken()).booking.cancel({ id: created.id });
      expect(await pending).toMatchObject({ status: 'cancelled' });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await watch.stop();
    }
  });

  it('stops listening when the subscriber goes away (no leaked listeners)', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const before = kiosk.core.events.listenerCount();
    const watch = await subscribe(kiosk.caller(created.accessToken).booking.watch({ id: created.id }));
    await watch.next();
    expect(kiosk.core.events.listenerCount()).toBe(before + 1);
    await watch.stop();
    expect(kiosk.core.events.listenerCount()).toBe(before);
  });
});
