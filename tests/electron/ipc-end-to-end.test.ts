import { createTRPCClient, TRPCClientError, type TRPCClient } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../electron/api/router';
import { createIpcHandler, type IpcHandler } from '../../electron/ipc/handler';
import { mountIpcHandler, type MountedIpc } from '../../electron/ipc/mount';
import { ipcLink } from '../../src/api/ipc-link';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';
import { FakeIpcMain, fakeRenderer, type FakeRenderer } from './support/fake-electron-ipc';

/**
 * The Electron transport end to end without Electron: the renderer's real tRPC client and
 * ipcLink → a fake preload bridge → mount.ts on a fake ipcMain → the IPC handler → the real
 * router over a real SQLite file.
 */
type Booking = { id: number; status: string; slotId: number; accessToken?: string };

let kiosk: TestKiosk;
let ipcMain: FakeIpcMain;
let handler: IpcHandler;
let mounted: MountedIpc;
const tokens = new Map<number, string>();
let staffToken: string | undefined;

/** The same rule as src/api/credentials.ts: staff if signed in, else the booking's own token. */
const tokenFor = (input: unknown) => {
  if (staffToken) return staffToken;
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? tokens.get(id) : undefined;
};

function clientFor(renderer: FakeRenderer): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({ links: [ipcLink(renderer.bridge, tokenFor)] });
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    return error as TRPCClientError<AppRouter>;
  }
  throw new Error('expected the call to fail');
}

const until = async (condition: () => boolean, timeoutMs = 3_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

beforeEach(() => {
  kiosk = bootTestKiosk();
  ipcMain = new FakeIpcMain();
  handler = createIpcHandler(kiosk.router, kiosk.env);
  mounted = mountIpcHandler(ipcMain, handler, { isTrustedFrame: (url) => url.startsWith('kiosk://app/') });
  tokens.clear();
  staffToken = undefined;
});

afterEach(() => {
  mounted.unmount();
  kiosk.close();
});

let plate = 1234;
/** Books the first free slot for a new vehicle (one vehicle cannot hold two bookings at once). */
async function book(client: TRPCClient<AppRouter>) {
  const slot = (await client.slot.list.query({})).find((s) => s.available)!;
  const booking = await client.booking.create.mutate({ slotId: slot.id, vehicleNumber: `kl 08 az ${plate++}`, bookingType: 'instant' });
  tokens.set(booking.id, booking.accessToken);
  return booking;
}

describe('queries and mutations over IPC', () => {
  it('lists the demo lot and its slots', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const lots = await client.lot.list.query();
    expect(lots.length).toBeGreaterThan(0);
    const slots = await client.slot.list.query({});
    expect(slots.length).toBeGreaterThanOrEqual(20);
    expect(slots.every((slot) => slot.available)).toBe(true);
  });

  it('books a slot, reads it back with its access token, adds a car wash and cancels it', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const booking = await book(client);
    expect(booking).toMatchObject({ status: 'booked', vehicleNumber: `KL-08-AZ-${plate - 1}`, remainingSeconds: 3600 });
    expect(booking.accessToken).toMatch(/^bk_/);

    const read = await client.booking.get.query({ id: booking.id });
    expect(read).toMatchObject({ id: booking.id, reference: booking.reference, status: 'booked' });
    const slots = await client.slot.list.query({});
    expect(slots.find((slot) => slot.id === booking.slotId)?.available).toBe(false);

    const washed = await client.booking.addCarWash.mutate({ id: booking.id });
    expect(JSON.stringify(washed.addOns)).toMatch(/wash/i);
    const cancelled = await client.booking.cancel.mutate({ id: booking.id });
    expect(cancelled.status).toBe('cancelled');
    expect((await client.slot.list.query({})).find((slot) => slot.id === booking.slotId)?.available).toBe(true);
  });

  it('renews an expired booking (the test clock moves an hour)', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const booking = await book(client);
    kiosk.clock.advance(HOUR);
    expect(await client.booking.get.query({ id: booking.id })).toMatchObject({ status: 'completed', isExpired: true });
    const renewed = await client.booking.renew.mutate({ id: booking.id });
    expect(renewed.oldBookingId).toBe(booking.id);
    expect(renewed.newBooking).toMatchObject({ status: 'booked', renewedFromId: booking.id, remainingSeconds: 3600 });
  });

  it('signs staff in and lets them list bookings', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    await book(client);
    staffToken = (await client.auth.login.mutate({ pin: '482916' })).token;
    const page = await client.booking.list.query({});
    expect(page.items).toHaveLength(1);
  });
});

describe('errors over IPC arrive as TRPCClientError with the typed code', () => {
  it("UNAUTHORIZED without a token, FORBIDDEN with another booking's token", async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const first = await book(client);
    const second = await book(client);
    tokens.delete(first.id);
    const unauthorized = await errorOf(client.booking.get.query({ id: first.id }));
    expect(unauthorized.data?.code).toBe('UNAUTHORIZED');
    expect(unauthorized.data?.httpStatus).toBe(401);
    expect(unauthorized.message).toMatch(/find my booking/i);

    tokens.set(first.id, second.accessToken!);
    expect((await errorOf(client.booking.get.query({ id: first.id }))).data?.code).toBe('FORBIDDEN');
  });

  it('BAD_REQUEST for junk input, with a message a person understands', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const error = await errorOf(client.booking.create.mutate({ slotId: 1, vehicleNumber: '!!', bookingType: 'instant' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/vehicle/i);
  });

  it('CONFLICT for a taken slot, PRECONDITION_FAILED for a wrong state, NOT_FOUND for an unknown id', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const booking = await book(client);
    const conflict = await errorOf(client.booking.create.mutate({ slotId: booking.slotId, vehicleNumber: 'KA01AB2222', bookingType: 'instant' }));
    expect(conflict.data?.code).toBe('CONFLICT');
    await client.booking.cancel.mutate({ id: booking.id });
    expect((await errorOf(client.booking.renew.mutate({ id: booking.id }))).data?.code).toBe('PRECONDITION_FAILED');

    staffToken = (await client.auth.login.mutate({ pin: '482916' })).token;
    expect((await errorOf(client.booking.get.query({ id: 999_999 }))).data?.code).toBe('NOT_FOUND');
  });

  it('NOT_FOUND for a procedure that does not exist', async () => {
    const renderer = fakeRenderer(ipcMain);
    const response = await renderer.bridge.call({ type: 'query', path: 'booking.nope', input: undefined });
    expect(response).toMatchObject({ ok: false, error: { data: { code: 'NOT_FOUND' } } });
  });

  it('refuses calls from a frame outside the app (FORBIDDEN) and malformed requests (BAD_REQUEST)', async () => {
    const stranger = fakeRenderer(ipcMain, 'https://example.com/');
    const foreign = await errorOf(clientFor(stranger).lot.list.query());
    expect(foreign.data?.code).toBe('FORBIDDEN');

    const renderer = fakeRenderer(ipcMain);
    const malformed = await renderer.bridge.call({ type: 'drop table' as never, path: 'lot.list', input: undefined });
    expect(malformed).toMatchObject({ ok: false, error: { data: { code: 'BAD_REQUEST' } } });
  });
});

describe('booking.watch over IPC', () => {
  it('yields the booking at once, pushes a change made elsewhere, and stops cleanly', async () => {
    const renderer = fakeRenderer(ipcMain);
    const client = clientFor(renderer);
    const booking = await book(client);
    const listenersBefore = kiosk.core.events.listenerCount();

    const seen: Booking[] = [];
    let started = false;
    let stopped = false;
    const subscription = client.booking.watch.subscribe(
      { id: booking.id },
      {
        onStarted: () => (started = true),
        onData: (value) => seen.push(value),
        onError: (error) => {
          throw error;
        },
        onComplete: () => (stopped = true),
      },
    );
    await until(() => seen.length === 1);
    expect(started).toBe(true);
    expect(seen[0]).toMatchObject({ id: booking.id, status: 'booked' });
    expect(handler.activeSubscriptions()).toBe(1);
    expect(kiosk.core.events.listenerCount()).toBe(listenersBefore + 1);

    // Staff cancel it from another window: the watcher hears it without waiting for a heartbeat.
    const staff = kiosk.caller(await kiosk.staffToken());
    const pushedAt = Date.now();
    await staff.booking.cancel({ id: booking.id });
    await until(() => seen.some((value) => value.status === 'cancelled'), 1_000);
    expect(Date.now() - pushedAt).toBeLessThan(1_000);

    subscription.unsubscribe();
    expect(handler.activeSubscriptions()).toBe(0);
    // The procedure's generator has run its finally: its change listener is gone too.
    await until(() => kiosk.core.events.listenerCount() === listenersBefore);
    expect(stopped).toBe(false);
    expect(renderer.received.filter((event) => event.kind === 'data').length).toBe(seen.length);
  });

  it('flips to completed by itself when the end passes (lazy expiry on the heartbeat)', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const booking = await book(client);
    const seen: Booking[] = [];
    const subscription = client.booking.watch.subscribe({ id: booking.id }, { onData: (value) => seen.push(value) });
    await until(() => seen.length === 1);
    kiosk.clock.advance(HOUR);
    await until(() => seen.some((value) => value.status === 'completed'), 12_000);
    subscription.unsubscribe();
    expect(handler.activeSubscriptions()).toBe(0);
  }, 20_000);

  it('ends with onError UNAUTHORIZED when the renderer holds no token, leaving nothing running', async () => {
    const client = clientFor(fakeRenderer(ipcMain));
    const booking = await book(client);
    tokens.delete(booking.id);
    const error = await new Promise<TRPCClientError<AppRouter>>((resolve) => {
      client.booking.watch.subscribe({ id: booking.id }, { onError: (cause) => resolve(cause as TRPCClientError<AppRouter>) });
    });
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error.data?.code).toBe('UNAUTHORIZED');
    await until(() => handler.activeSubscriptions() === 0);
  });

  it('stops every subscription of a renderer that is destroyed, and only its own', async () => {
    const closing = fakeRenderer(ipcMain);
    const staying = fakeRenderer(ipcMain);
    const booking = await book(clientFor(closing));
    const counts = { closing: 0, staying: 0 };
    clientFor(closing).booking.watch.subscribe({ id: booking.id }, { onData: () => (counts.closing += 1) });
    clientFor(closing).slot.watch.subscribe({}, { onData: () => {} });
    const kept = clientFor(staying).booking.watch.subscribe({ id: booking.id }, { onData: () => (counts.staying += 1) });
    await until(() => counts.closing === 1 && counts.staying === 1);
    expect(mounted.subscriptionsOf(closing.sender.id)).toBe(2);
    expect(handler.activeSubscriptions()).toBe(3);

    closing.destroy();
    expect(mounted.subscriptionsOf(closing.sender.id)).toBe(0);
    expect(mounted.subscriptionsOf(staying.sender.id)).toBe(1);
    // Nothing is sent to a destroyed renderer (the fake throws if it were).
    await kiosk.caller(booking.accessToken).booking.addCarWash({ id: booking.id });
    await until(() => counts.staying === 2);
    expect(counts.closing).toBe(1);

    kept.unsubscribe();
    expect(handler.activeSubscriptions()).toBe(0);
  });

  it('keeps two renderers that use the same subscription id apart, and stops one on reload', async () => {
    const a = fakeRenderer(ipcMain);
    const b = fakeRenderer(ipcMain);
    const booking = await book(clientFor(a));
    const request = { type: 'subscription' as const, path: 'booking.watch', input: { id: booking.id }, token: booking.accessToken };
    a.bridge.subscribe('same-id', request);
    b.bridge.subscribe('same-id', request);
    await until(() => a.received.length >= 2 && b.received.length >= 2);
    expect(handler.activeSubscriptions()).toBe(2);
    expect(a.received.map((event) => event.kind)).toEqual(['started', 'data']);

    // main.ts calls this when a renderer starts a new document (reload) or crashes.
    expect(mounted.stopSubscriptionsOf(a.sender.id)).toBe(1);
    await until(() => a.received.some((event) => event.kind === 'stopped'));
    expect(handler.activeSubscriptions()).toBe(1);
    b.bridge.unsubscribe('same-id');
    expect(handler.activeSubscriptions()).toBe(0);
  });
});
