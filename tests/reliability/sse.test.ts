import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskHttpServer } from '../../electron/server/http';
import { bootTestKiosk, type TestKiosk } from '../support/core';
import { rawStream, type RawStream } from './support/raw-http';

/**
 * The lean SSE path (electron/server/sse.ts) against tRPC's standalone SSE for the same
 * subscriptions: one kiosk, two HTTP servers over it, one with the lean path and one without.
 * What a client reads (the SSE events, after HTTP chunking is undone) must be the same: the
 * connected event, the first value, a change, errors, pings, and the end of a stream whose
 * session is logged out. The kiosk's clock stands still, so heartbeats repeat the value exactly.
 */
let kiosk: TestKiosk;
let lean: Server;
let standalone: Server;
let leanUrl: string;
let standaloneUrl: string;
const open: RawStream[] = [];
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
const close = (server: Server | undefined) =>
  new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });

beforeAll(async () => {
  kiosk = bootTestKiosk();
  lean = createKioskHttpServer(kiosk);
  standalone = createKioskHttpServer(kiosk, { leanSse: false });
  [leanUrl, standaloneUrl] = await Promise.all([listen(lean), listen(standalone)]);
});
afterAll(async () => {
  open.forEach((stream) => stream.close());
  await Promise.all([close(lean), close(standalone)]);
  kiosk?.close();
});

/** The same path on both servers. */
async function both(path: string): Promise<[RawStream, RawStream]> {
  const streams = await Promise.all([rawStream(leanUrl, path), rawStream(standaloneUrl, path)]);
  open.push(...streams);
  return streams;
}

/** SSE events as tRPC frames them (`...\n\n\n`), the unfinished tail left out. */
const events = (text: string): string[] => text.split('\n\n\n').slice(0, -1);
/** Without pings and with a heartbeat's repeat of the same value folded into one. */
const values = (text: string): string[] =>
  events(text)
    .filter((e) => e !== 'event: ping\ndata: ')
    .filter((e, i, all) => i === 0 || e !== all[i - 1]);
const hasEvents =
  (count: number, test: (e: string) => boolean = () => true) =>
  (text: string) =>
    events(text).filter(test).length >= count;

async function newBooking(vehicleNumber: string) {
  return kiosk.caller().booking.create({ slotId: 2 + (Number(vehicleNumber.slice(-2)) % 20), vehicleNumber, bookingType: 'instant' });
}

describe('lean SSE frames are tRPC frames', () => {
  it('first value and a change: the same events on both paths, and the same response headers', async () => {
    const booking = await newBooking('KA01SS0001');
    const [viaLean, viaTrpc] = await both(`/trpc/booking.watch?input=${q({ id: booking.id })}&connectionParams=${q({ token: booking.accessToken })}`);
    expect([viaLean.status, viaTrpc.status]).toEqual([200, 200]);
    for (const stream of [viaLean, viaTrpc]) expect(await stream.until(hasEvents(2))).toBe(true);
    await kiosk.caller(booking.accessToken).booking.addCarWash({ id: booking.id });
    for (const stream of [viaLean, viaTrpc]) expect(await stream.until(hasEvents(1, (e) => e.includes('car_wash')))).toBe(true);
    const seen = values(viaLean.text());
    expect(seen).toEqual(values(viaTrpc.text()).slice(0, seen.length));
    expect(seen[0]).toBe('event: connected\ndata: {"reconnectAfterInactivityMs":15000}');
    expect(JSON.parse(seen[1]!.replace(/^data: /, ''))).toMatchObject({ id: booking.id, status: 'booked', addOns: [] });
    expect(seen.at(-1)).toMatch(/^data: \{.*"car_wash"/);
  });

  it('sends each event as one HTTP chunk (so the lean path, not tRPC, served it) with tRPC’s headers', async () => {
    const booking = await newBooking('KA01SS0002');
    const path = `/trpc/booking.watch?input=${q({ id: booking.id })}&connectionParams=${q({ token: booking.accessToken })}`;
    const head = async (url: string) => {
      const port = Number(new URL(url).port);
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      const deadline = Date.now() + 15_000;
      while (!text.includes('"serverTime"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
      return text;
    };
    const [leanText, trpcText] = await Promise.all([head(leanUrl), head(standaloneUrl)]);
    const headers = (text: string) =>
      text
        .split('\r\n\r\n')[0]!
        .split('\r\n')
        .filter((line) => !line.startsWith('Date:'));
    expect(headers(leanText)).toEqual(headers(trpcText));
    const connected = 'event: connected\ndata: {"reconnectAfterInactivityMs":15000}\n\n\n';
    expect(leanText).toContain(`\r\n\r\n${connected.length.toString(16)}\r\n${connected}\r\n`);
    expect(trpcText).not.toContain(connected); // tRPC writes the lines of an event as separate chunks
  });

  it('errors: a bad token, an unknown booking and a bad input end with the same error event', async () => {
    const staff = await kiosk.staffToken();
    const cases = [
      `/trpc/booking.watch?input=${q({ id: 1 })}&connectionParams=${q({ token: 'bk_1.forged' })}`,
      `/trpc/booking.watch?input=${q({ id: 99_999 })}&connectionParams=${q({ token: staff })}`,
      `/trpc/booking.watch?input=${q({ id: 'one' })}`,
      `/trpc/slot.watch?input=${q({ lotId: -1 })}`,
    ];
    const codes: string[] = [];
    for (const path of cases) {
      const [viaLean, viaTrpc] = await both(path);
      for (const stream of [viaLean, viaTrpc]) expect(await stream.until(() => stream.closed())).toBe(true);
      expect(viaLean.text()).toBe(viaTrpc.text());
      const last = events(viaLean.text()).at(-1)!;
      expect(last).toMatch(/^event: serialized-error\ndata: /);
      codes.push(JSON.parse(last.replace(/^event: serialized-error\ndata: /, '')).data.code);
    }
    expect(codes).toEqual(['UNAUTHORIZED', 'NOT_FOUND', 'BAD_REQUEST', 'BAD_REQUEST']);
  });

  it('pings an idle stream with the same ping event', async () => {
    // slot.watch beats every 10 s; tRPC pings after 5 s of silence, the lean path after 5–7.5 s.
    const [viaLean, viaTrpc] = await both(`/trpc/slot.watch?input=${q({})}`);
    for (const stream of [viaLean, viaTrpc])
      expect(
        await stream.until(
          hasEvents(1, (e) => e.startsWith('event: ping')),
          20_000,
        ),
      ).toBe(true);
    const pings = [viaLean, viaTrpc].map((stream) => events(stream.text()).find((e) => e.startsWith('event: ping')));
    expect(pings).toEqual(['event: ping\ndata: ', 'event: ping\ndata: ']);
    expect(values(viaLean.text()).slice(0, 2)).toEqual(values(viaTrpc.text()).slice(0, 2));
  }, 30_000);
});

describe('a session that ends mid-stream ends the stream', () => {
  it('logs out: the next change is not delivered, the stream ends with UNAUTHORIZED on both paths', async () => {
    const booking = await newBooking('KA01SS0003');
    const token = await kiosk.staffToken();
    const path = `/trpc/booking.watch?input=${q({ id: booking.id })}&connectionParams=${q({ token })}`;
    // Several lean streams on one feed share its frames; each is still checked on its own.
    const [viaLean, viaTrpc] = await both(path);
    const [second] = await Promise.all([rawStream(leanUrl, path)]);
    open.push(second!);
    const kept = await rawStream(leanUrl, `/trpc/booking.watch?input=${q({ id: booking.id })}&connectionParams=${q({ token: booking.accessToken })}`);
    open.push(kept);
    for (const stream of [viaLean, viaTrpc, second!, kept]) expect(await stream.until(hasEvents(2))).toBe(true);
    await kiosk.caller(token).auth.logout();
    await kiosk.caller(booking.accessToken).booking.addCarWash({ id: booking.id });
    for (const stream of [viaLean, viaTrpc, second!]) {
      expect(await stream.until(() => stream.closed())).toBe(true);
      expect(stream.text()).not.toContain('car_wash');
      expect(events(stream.text()).at(-1)).toMatch(/^event: serialized-error\ndata: .*"UNAUTHORIZED"/);
    }
    expect(events(viaLean.text()).at(-1)).toBe(events(viaTrpc.text()).at(-1));
    // The booking's own token still holds: its stream on the same feed got the change.
    expect(await kept.until((text) => text.includes('car_wash'))).toBe(true);
    expect(kept.closed()).toBe(false);
  });
});
