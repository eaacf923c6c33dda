import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppRouter, fullRouter } from '../../electron/api/router';
import { addStaff } from '../../electron/core/auth/staff';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';
import { startServer, type RunningServer } from '../support/server';
import { recordFigures } from './support/figures';

/**
 * Who may call what. Every procedure in the router must be listed here: a new procedure that
 * nobody classified fails the first test below, so nothing reaches a kiosk unreviewed.
 *   public    – anyone, including the driver kiosk with no token
 *   booking   – the holder of that booking's token, or staff
 *   staff     – a logged-in staff member or owner
 *   owner     – the owner only
 *   testClock – mounted only on servers started with KIOSK_TEST_CLOCK=1
 */
type Level = 'public' | 'booking' | 'staff' | 'owner' | 'testClock';
const ACCESS: Record<string, Level> = {
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.login': 'public',
  'auth.logout': 'staff',
  'auth.me': 'staff',
  'lot.list': 'public',
  'lot.get': 'public',
  'lot.changes': 'public',
  'slot.list': 'public',
  'slot.watch': 'public',
  'booking.create': 'public',
  'booking.get': 'booking',
  'booking.list': 'staff',
  'booking.cancel': 'booking',
  'booking.renew': 'booking',
  'booking.addCarWash': 'booking',
  'booking.find': 'public',
  'booking.watch': 'booking',
  'staff.list': 'owner',
  'staff.add': 'owner',
  'staff.deactivate': 'owner',
  'slotAdmin.list': 'staff',
  'slotAdmin.lotMap': 'staff',
  'slotAdmin.add': 'owner',
  'slotAdmin.update': 'staff',
  'slotAdmin.setPrice': 'owner',
  'slotAdmin.disable': 'staff',
  'slotAdmin.enable': 'staff',
  'slotAdmin.remove': 'owner',
  'slotAdmin.setLotSettings': 'owner',
  'bookingAdmin.history': 'staff',
  'report.occupancy': 'staff',
  'report.revenue': 'staff',
  'report.bookingsCsv': 'staff',
  'audit.list': 'staff',
  'audit.csv': 'staff',
  'backup.list': 'staff',
  'backup.status': 'staff',
  'backup.create': 'staff',
  'backup.restore': 'owner',
  'clock.now': 'testClock',
  'clock.advance': 'testClock',
};

type Actor = 'none' | 'otherBooking' | 'ownBooking' | 'expiredStaff' | 'staff' | 'owner';
const ACTORS: Actor[] = ['none', 'otherBooking', 'ownBooking', 'expiredStaff', 'staff', 'owner'];
const DENY = new Set(['UNAUTHORIZED', 'FORBIDDEN']);

/** The exact refusal each caller must get, or 'allowed'. */
function expected(level: Level, actor: Actor): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  if (level === 'public' || level === 'testClock') return 'allowed';
  if (actor === 'owner') return 'allowed';
  if (actor === 'staff') return level === 'owner' ? 'FORBIDDEN' : 'allowed';
  if (actor === 'ownBooking') return level === 'booking' ? 'allowed' : 'FORBIDDEN';
  if (actor === 'otherBooking') return 'FORBIDDEN';
  return 'UNAUTHORIZED'; // no token, or a staff session that has ended
}

interface Procedure {
  _def: { type: 'query' | 'mutation' | 'subscription' };
}
const procedures = (fullRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures;

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

async function outcome(caller: unknown, path: string, input: unknown): Promise<string> {
  const fn = path.split('.').reduce((node: any, key) => node[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    const result = await fn(input);
    if (procedures[path]!._def.type === 'subscription') {
      const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      try {
        await Promise.race([iterator.next(), new Promise((_, reject) => setTimeout(() => reject(new Error('no first value in 10 s')), 10_000))]);
      } finally {
        await iterator.return?.();
      }
    }
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? `untyped: ${(error as Error).message}`;
  }
}

describe('access matrix: every procedure × every kind of caller', () => {
  it('classifies every procedure in the router (add new ones to ACCESS)', () => {
    const unclassified = Object.keys(procedures).filter((path) => !(path in ACCESS));
    const stale = Object.keys(ACCESS).filter((path) => !(path in procedures));
    expect(unclassified, 'procedures with no access level in tests/reliability/access.test.ts').toEqual([]);
    expect(stale, 'ACCESS lists procedures the router no longer has').toEqual([]);
  });

  it('gives each caller exactly what its level allows', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const mine = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA501', bookingType: 'instant' });
    const other = await anon.booking.create({ slotId: 2, vehicleNumber: 'KA502', bookingType: 'instant' });
    addStaff(kiosk.core, 'Sam', 'staff', '1357');
    const expiring = await kiosk.staffToken('1357');
    kiosk.clock.advance(13 * HOUR); // the 12-hour session above is now over
    const tokens: Record<Actor, string | undefined> = {
      none: undefined,
      otherBooking: other.accessToken,
      ownBooking: mine.accessToken,
      expiredStaff: expiring,
      staff: await kiosk.staffToken('1357'),
      owner: await kiosk.staffToken('2468'),
    };
    const failures: string[] = [];
    let calls = 0;
    // Logging out ends the session the later calls use, so it goes last.
    const paths = Object.keys(procedures).sort((a, b) => Number(a === 'auth.logout') - Number(b === 'auth.logout'));
    for (const path of paths) {
      const level = ACCESS[path]!;
      const input = level === 'booking' ? { id: mine.id } : undefined;
      for (const actor of ACTORS) {
        const got = await outcome(kiosk.caller(tokens[actor], `matrix-${actor}`), path, input);
        calls += 1;
        const want = expected(level, actor);
        const fine = want === 'allowed' ? !DENY.has(got) && got !== 'INTERNAL_SERVER_ERROR' && !got.startsWith('untyped') : got === want;
        if (!fine) failures.push(`${path} as ${actor}: expected ${want}, got ${got}`);
      }
    }
    expect(failures).toEqual([]);
    recordFigures('access-matrix', { procedures: paths.length, callerKinds: ACTORS.length, calls });
  });

  it('mounts the test clock only when asked', () => {
    const plain = (createAppRouter({ testClock: false }) as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures;
    expect(Object.keys(plain).filter((path) => ACCESS[path] === 'testClock')).toEqual([]);
    expect(Object.keys(plain).length).toBe(Object.keys(procedures).filter((path) => ACCESS[path] !== 'testClock').length);
  });

  it('throttles PIN guessing per client, survives the right PIN during lock-out, and lifts after the lock', async () => {
    kiosk = bootTestKiosk();
    const guesser = kiosk.caller(undefined, 'guesser');
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1) codes.push(await guesser.auth.login({ pin: String(1000 + i) }).then(() => 'ok', (e) => e.code));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHORIZED'));
    expect(codes.slice(5)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    // Even the right PIN is refused while locked, so a lock-out cannot be used as an oracle.
    await expect(guesser.auth.login({ pin: '2468' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await expect(kiosk.caller(undefined, 'staff-desk').auth.login({ pin: '2468' })).resolves.toHaveProperty('token');
    kiosk.clock.advance(5 * 60_000 + 1);
    await expect(guesser.auth.login({ pin: '2468' })).resolves.toHaveProperty('token');
  });

  it('throttles reference guessing in "find my booking"', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA777', bookingType: 'instant' });
    const guesser = kiosk.caller(undefined, 'enumerator');
    const codes: string[] = [];
    for (let i = 0; i < 10; i += 1) codes.push(await guesser.booking.find({ reference: `ZZ${i}Q9X`, vehicleNumber: 'KA777' }).then(() => 'ok', (e) => e.code));
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('NOT_FOUND'));
    expect(codes.slice(8)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    await expect(guesser.booking.find({ reference: made.reference, vehicleNumber: 'KA777' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('HTTP exposure', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('binds to loopback by default: other interfaces of this machine are refused', async () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((nic) => nic && nic.family === 'IPv4' && !nic.internal);
    if (!external) return; // a machine with loopback only has nothing else to reach
    const reached = await fetch(`http://${external.address}:${url.port}/healthz`).then(
      () => 'reached',
      (error: { cause?: { code?: string } }) => error.cause?.code ?? 'failed',
    );
    expect(reached).toBe('ECONNREFUSED');
  });

  it('rejects cross-origin browser calls with 403 and serves same-origin ones', async () => {
    const call = (origin?: string) =>
      fetch(`${server.url}/trpc/lot.list`, { headers: origin ? { origin } : {} }).then((res) => res.status);
    expect(await call('http://evil.example')).toBe(403);
    expect(await call(`http://127.0.0.1.evil.example:${new URL(server.url).port}`)).toBe(403);
    expect(await call('null')).toBe(403);
    expect(await call(server.url)).toBe(200);
    expect(await call()).toBe(200);
    const post = await fetch(`${server.url}/trpc/booking.create`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ slotId: 1, vehicleNumber: 'KA1', bookingType: 'instant' }),
    });
    expect(post.status).toBe(403);
    const stored = await server.client((await server.client().auth.login.mutate({ pin: '2468' })).token).booking.list.query({});
    expect(stored.items).toHaveLength(0);
  });
});
