import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { errorOf, expectHumanMessage, plate } from './helpers/kiosk';
import { openSubscription, type SseStream } from './helpers/sse';

const HOUR = 3_600_000;
let server: RunningServer;
let staffToken: string;
let nextPlate = 100;
const freshPlate = () => plate(nextPlate++);

beforeAll(async () => {
  server = await startServer({ staffPin: '482916' });
  staffToken = (await server.client().auth.login.mutate({ pin: '482916' })).token;
});
afterAll(() => server?.stop());

/** A free demo slot now (the server clock moves during this file). */
async function freeSlot(): Promise<number> {
  const slots = await server.client().slot.list.query({});
  return slots.find((s) => s.available)!.id;
}

async function httpError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return { code: error.data?.code as string, status: error.data?.httpStatus as number, message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('the contract over HTTP', () => {
  it('serves lot.list, slot.list, booking.create and booking.find without a token', async () => {
    const anon = server.client();
    expect((await anon.lot.list.query())[0]).toMatchObject({ totalSlots: 24 });
    const slotId = await freeSlot();
    const vehicle = freshPlate();
    const created = await anon.booking.create.mutate({ slotId, vehicleNumber: vehicle.toLowerCase().replaceAll('-', ' '), bookingType: 'instant' });
    expect(created).toMatchObject({ slotId, vehicleNumber: vehicle, status: 'booked', remainingSeconds: 3600 });
    expect(Date.parse(created.serverTime)).toBe(Date.parse(created.startTime));
    const found = await anon.booking.find.mutate({ reference: created.reference.toLowerCase(), vehicleNumber: vehicle.replaceAll('-', '') });
    expect(found.id).toBe(created.id);
    // Bearer tokens: the booking's own token and the staff token both read it.
    expect((await server.client(found.accessToken).booking.get.query({ id: created.id })).id).toBe(created.id);
    expect((await server.client(staffToken).booking.get.query({ id: created.id })).id).toBe(created.id);
    const page = await server.client(staffToken).booking.list.query({ limit: 5 });
    expect(page.items[0]!.id).toBe(created.id);
    expect(page).toHaveProperty('nextCursor');
  });

  it('answers every error with its code, HTTP status and a message a person understands', async () => {
    const anon = server.client();
    const slotId = await freeSlot();
    const mine = await anon.booking.create.mutate({ slotId, vehicleNumber: freshPlate(), bookingType: 'instant' });
    const other = await anon.booking.create.mutate({ slotId: await freeSlot(), vehicleNumber: freshPlate(), bookingType: 'instant' });
    const cases: [() => Promise<unknown>, string, number, RegExp][] = [
      [
        () => anon.booking.create.mutate({ slotId: 'one' as unknown as number, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' }),
        'BAD_REQUEST',
        400,
        /slotId: An id is a whole number/,
      ],
      [() => anon.booking.create.mutate({ slotId, vehicleNumber: '@@@@', bookingType: 'instant' }), 'BAD_REQUEST', 400, /vehicle number/],
      [() => anon.booking.create.mutate({ slotId, vehicleNumber: 'KL08AZ1234', bookingType: 'advance' }), 'BAD_REQUEST', 400, /Advance/],
      [() => anon.booking.get.query({ id: mine.id }), 'UNAUTHORIZED', 401, /Find my booking/],
      [() => server.client(other.accessToken).booking.get.query({ id: mine.id }), 'FORBIDDEN', 403, /does not hold/],
      [() => server.client(staffToken).booking.get.query({ id: 987654 }), 'NOT_FOUND', 404, /no booking/],
      [() => anon.booking.create.mutate({ slotId, vehicleNumber: freshPlate(), bookingType: 'instant' }), 'CONFLICT', 409, /already booked/],
      [() => server.client(mine.accessToken).booking.renew.mutate({ id: mine.id }), 'PRECONDITION_FAILED', 412, /still running/],
    ];
    for (const [call, code, status, pattern] of cases) {
      const error = await httpError(call());
      expect(error, error.message).toMatchObject({ code, status });
      expect(error.message).toMatch(pattern);
      expectHumanMessage(error.message);
    }
  });

  it('watch over SSE with a Bearer header: yields at once, again within a second of a change', async () => {
    const created = await server.client().booking.create.mutate({ slotId: await freeSlot(), vehicleNumber: freshPlate(), bookingType: 'instant' });
    const stream = await openSubscription(server.url, 'booking.watch', { id: created.id }, { bearer: created.accessToken });
    try {
      const first = await stream.next(10_000);
      expect(first.data).toMatchObject({ id: created.id, status: 'booked' });
      await server.client(created.accessToken).booking.addCarWash.mutate({ id: created.id });
      // "Within a second" counts from the confirmed change (the call's answer), so a slow call on
      // a loaded machine is not mistaken for a slow push; waiting longer than that lets a late
      // push fail on its measured delay rather than as "no event".
      const changed = Date.now();
      const washed = await stream.next(10_000);
      expect(washed.data).toMatchObject({ id: created.id, addOns: [expect.objectContaining({ kind: 'car_wash' })] });
      expect(washed.at - changed).toBeLessThan(1_000);
      await server.client(staffToken).booking.cancel.mutate({ id: created.id });
      expect((await stream.next(10_000)).data).toMatchObject({ status: 'cancelled' });
    } finally {
      stream.close();
    }
  });

  it('watch with connectionParams flips to completed within a second when the test clock passes the end, and beats at least every 10 s', async () => {
    const created = await server.client().booking.create.mutate({ slotId: await freeSlot(), vehicleNumber: freshPlate(), bookingType: 'instant' });
    const stream = await openSubscription(server.url, 'booking.watch', { id: created.id }, { connectionParams: { token: created.accessToken } });
    try {
      expect((await stream.next(10_000)).data).toMatchObject({ status: 'booked', remainingSeconds: 3600 });
      // A quiet booking still gets a fresh view (heartbeat) with a moving server time.
      const quiet = await stream.next(12_000); // a beat is due every 10 s; 2 s of slack for a loaded machine
      expect(quiet.data).toMatchObject({ status: 'booked' });
      const { now } = await server.client().clock.now.query();
      expect(typeof now).toBe('string');
      const moved = await server.client().clock.advance.mutate({ ms: HOUR });
      const changed = Date.now();
      expect(Date.parse(moved.now) - Date.parse(now)).toBeGreaterThanOrEqual(HOUR);
      const flipped = await stream.next(10_000);
      expect(flipped.data).toMatchObject({ id: created.id, status: 'completed', isExpired: true, remainingSeconds: 0 });
      expect(flipped.at - changed).toBeLessThan(1_000);
    } finally {
      stream.close();
    }
  });

  it('refuses a watch without a token or with another booking’s token', async () => {
    const a = await server.client().booking.create.mutate({ slotId: await freeSlot(), vehicleNumber: freshPlate(), bookingType: 'instant' });
    const b = await server.client().booking.create.mutate({ slotId: await freeSlot(), vehicleNumber: freshPlate(), bookingType: 'instant' });
    for (const [auth, code] of [
      [{}, 'UNAUTHORIZED'],
      [{ bearer: b.accessToken }, 'FORBIDDEN'],
    ] as const) {
      const stream: SseStream = await openSubscription(server.url, 'booking.watch', { id: a.id }, auth);
      try {
        const error = await stream.next(2_000, 'serialized-error');
        expect(error.data).toMatchObject({ data: { code } });
      } finally {
        stream.close();
      }
    }
  });

  it('locks out repeated wrong PINs over HTTP with TOO_MANY_REQUESTS (429)', async () => {
    // Last in this file: it locks out this client address for the server's remaining life.
    const anon = server.client();
    let last = await httpError(anon.auth.login.mutate({ pin: '000000' }));
    expect(last).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    for (let i = 0; i < 10 && last.code !== 'TOO_MANY_REQUESTS'; i += 1) last = await httpError(anon.auth.login.mutate({ pin: '000000' }));
    expect(last).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    expectHumanMessage(last.message);
    const error = await errorOf(anon.auth.login.mutate({ pin: '482916' }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
  });
});
