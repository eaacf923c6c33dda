import { afterEach, describe, expect, it } from 'vitest';
import { issueBookingToken } from '../../electron/core/auth/booking-tokens';
import { SESSION_MS } from '../../electron/core/auth/staff';
import { bootTestKiosk, T0, type TestKiosk } from '../support/core';
import { expectError } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

/** The first value of a subscription called in-process (errors surface on the first pull). */
async function firstOf<T>(subscription: Promise<AsyncIterable<T>>): Promise<T> {
  const iterator = (await subscription)[Symbol.asyncIterator]();
  try {
    return (await iterator.next()).value as T;
  } finally {
    await iterator.return?.();
  }
}

async function twoBookings(k: TestKiosk) {
  const anon = k.caller();
  const mine = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1111', bookingType: 'instant' });
  const theirs = await anon.booking.create({ slotId: 2, vehicleNumber: 'KL08AZ2222', bookingType: 'instant' });
  return { mine, theirs };
}

describe('booking tokens', () => {
  it("lets a booking's token read, add to and cancel that booking only", async () => {
    kiosk = bootTestKiosk();
    const { mine, theirs } = await twoBookings(kiosk);
    const driver = kiosk.caller(mine.accessToken);
    expect((await driver.booking.get({ id: mine.id })).reference).toBe(mine.reference);
    await expectError(driver.booking.get({ id: theirs.id }), 'FORBIDDEN', /Find my booking/);
    await expectError(driver.booking.cancel({ id: theirs.id }), 'FORBIDDEN');
    await expectError(driver.booking.renew({ id: theirs.id }), 'FORBIDDEN');
    await expectError(driver.booking.addCarWash({ id: theirs.id }), 'FORBIDDEN');
    await expectError(firstOf(driver.booking.watch({ id: theirs.id })), 'FORBIDDEN');
    await expectError(driver.booking.list({}), 'FORBIDDEN', /staff/);
    expect((await kiosk.caller(theirs.accessToken).booking.get({ id: theirs.id })).status).toBe('booked');
    expect((await driver.booking.cancel({ id: mine.id })).status).toBe('cancelled');
  });

  it('says UNAUTHORIZED without a token, or with a forged, foreign or garbled one', async () => {
    kiosk = bootTestKiosk();
    const { mine } = await twoBookings(kiosk);
    await expectError(kiosk.caller().booking.get({ id: mine.id }), 'UNAUTHORIZED', /Find my booking/);
    await expectError(kiosk.caller().booking.cancel({ id: mine.id }), 'UNAUTHORIZED');
    await expectError(kiosk.caller().booking.renew({ id: mine.id }), 'UNAUTHORIZED');
    await expectError(kiosk.caller().booking.addCarWash({ id: mine.id }), 'UNAUTHORIZED');
    await expectError(kiosk.caller().booking.list({}), 'UNAUTHORIZED', /log in/);

    const foreign = issueBookingToken(Buffer.alloc(32, 7), { id: mine.id, reference: mine.reference, createdAt: T0 }, T0);
    const tampered = mine.accessToken.replace(/_(\d+)_/, (_, id: string) => `_${Number(id) + 1}_`);
    for (const token of [foreign, tampered, 'bk_1_x_short', 'st_not-a-session', 'Bearer', mine.accessToken.slice(0, -1)]) {
      await expectError(kiosk.caller(token).booking.get({ id: mine.id }), 'UNAUTHORIZED');
    }
  });

  it('says NOT_FOUND for an unknown id to staff (and FORBIDDEN to a token for a different booking)', async () => {
    kiosk = bootTestKiosk();
    const { mine } = await twoBookings(kiosk);
    const staff = kiosk.caller(await kiosk.staffToken());
    await expectError(staff.booking.get({ id: 4242 }), 'NOT_FOUND', /4242/);
    await expectError(staff.booking.cancel({ id: 4242 }), 'NOT_FOUND');
    await expectError(staff.booking.renew({ id: 4242 }), 'NOT_FOUND');
    await expectError(staff.booking.addCarWash({ id: 4242 }), 'NOT_FOUND');
    await expectError(kiosk.caller(mine.accessToken).booking.get({ id: 4242 }), 'FORBIDDEN');
    // A genuine token for a booking that does not exist (yet) grants nothing either.
    const ghost = issueBookingToken(kiosk.core.tokenSecret, { id: 4242, reference: 'ABCDEF', createdAt: T0 }, T0);
    await expectError(kiosk.caller(ghost).booking.get({ id: 4242 }), 'UNAUTHORIZED');
  });
});

describe('auth.login and staff powers', () => {
  it('logs in with the PIN and may read, list and cancel every booking; the cancel is audited', async () => {
    kiosk = bootTestKiosk({ staffPin: '135790' });
    const { mine, theirs } = await twoBookings(kiosk);
    const login = await kiosk.caller().auth.login({ pin: '135790' });
    expect(login).toMatchObject({ token: expect.stringMatching(/^st_/), staff: { role: 'owner' } });
    const staff = kiosk.caller(login.token);
    expect((await staff.booking.get({ id: theirs.id })).id).toBe(theirs.id);
    expect((await staff.booking.list({})).items.map((b) => b.id)).toEqual([theirs.id, mine.id]);
    const cancelled = await staff.booking.cancel({ id: mine.id, reason: 'Blocking the exit' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Blocking the exit', cancelledBy: expect.stringMatching(/^staff:/) });
    const audit = kiosk.core.db.sqlite.prepare(`SELECT action, detail FROM audit_log WHERE action = 'booking.cancel'`).all() as {
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ bookingId: mine.id, reason: 'Blocking the exit' });
  });

  it('refuses a wrong PIN with UNAUTHORIZED, then slows the client down with TOO_MANY_REQUESTS', async () => {
    kiosk = bootTestKiosk({ staffPin: '482916' });
    const guesser = kiosk.caller(undefined, 'guesser');
    for (let i = 0; i < 3; i += 1) await expectError(guesser.auth.login({ pin: `00000${i}` }), 'UNAUTHORIZED', /PIN/);
    await expectError(guesser.auth.login({ pin: 'abc' }), 'UNAUTHORIZED');
    // The fourth wrong try starts the growing delay (1 s, then 2 s, 4 s …).
    await expectError(guesser.auth.login({ pin: '482916' }), 'TOO_MANY_REQUESTS', /try again in \d+ second/);
    // Another client is not locked out by this one.
    expect((await kiosk.caller(undefined, 'front-desk').auth.login({ pin: '482916' })).token).toMatch(/^st_/);
  });

  it('ends a staff session after its lifetime: UNAUTHORIZED asking to log in again', async () => {
    kiosk = bootTestKiosk();
    const token = await kiosk.staffToken();
    expect((await kiosk.caller(token).booking.list({})).items).toEqual([]);
    kiosk.clock.advance(SESSION_MS - 1000);
    expect((await kiosk.caller(token).booking.list({})).items).toEqual([]);
    kiosk.clock.advance(1000);
    // Each request resolves its caller afresh, as the HTTP and IPC adapters do.
    await expectError(kiosk.caller(token).booking.list({}), 'UNAUTHORIZED', /log in again/);
  });
});
