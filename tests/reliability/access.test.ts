import { randomBytes, scryptSync } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppRouter, fullRouter } from '../../electron/api/router';
import { addStaff } from '../../electron/core/auth/staff';
import { TOKEN_AFTER_CANCEL_MS, TOKEN_AFTER_END_MS } from '../../electron/core/auth/booking-tokens';
import { hashPin, needsRehash, PIN_HASH_PARAMS, pinMatches, trivialPinReason } from '../../electron/core/auth/pins';
import { restoreIntoFile } from '../../electron/core/backup/backups';
import { backupDirFor } from '../../electron/core/backup/files';
import { configureBackups } from '../../electron/core/backup/service';
import { NETWORK_BOOKING_LIMITS } from '../../electron/core/bookings/limits';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';
import { startServer, type RunningServer } from '../support/server';
import { recordFigures } from './support/figures';
import { setHubIdentity } from '../../electron/core/pairing/hub-identity';
import { registerSatellite } from '../../electron/core/pairing/satellites';

/**
 * Who may call what. Every procedure in the router must be listed here: a new procedure that
 * nobody classified fails the first test below, so nothing reaches a kiosk unreviewed.
 *   public    – anyone, including the driver kiosk with no token
 *   booking   – the holder of that booking's token, or staff
 *   staff     – a logged-in staff member or owner
 *   owner     – the owner only
 *   testClock – mounted only on servers started with KIOSK_TEST_CLOCK=1
 *   satellite – a paired, unrevoked satellite kiosk (header x-kiosk-satellite), nobody else
 */
type Level = 'public' | 'booking' | 'staff' | 'owner' | 'testClock' | 'satellite';
const ACCESS: Record<string, Level> = {
  'auth.status': 'public',
  'auth.setup': 'public',
  'auth.login': 'public',
  'auth.logout': 'staff',
  'auth.me': 'staff',
  'lot.list': 'public',
  'lot.get': 'public',
  'lot.changes': 'public',
  'lot.create': 'owner',
  'slot.list': 'public',
  'slot.watch': 'public',
  'slot.hold': 'public',
  'slot.renewHold': 'public',
  'slot.releaseHold': 'public',
  'booking.create': 'public',
  'booking.get': 'booking',
  'booking.list': 'staff',
  'booking.cancel': 'booking',
  'booking.renew': 'booking',
  'booking.addCarWash': 'booking',
  'booking.find': 'public',
  'booking.plateCheck': 'public',
  'booking.correctPlate': 'booking',
  'booking.watch': 'booking',
  'booking.quote': 'public',
  'booking.durations': 'public',
  'booking.extendOptions': 'booking',
  'booking.extend': 'booking',
  'tariff.current': 'staff',
  'tariff.history': 'staff',
  'tariff.save': 'owner',
  'tariff.preview': 'staff',
  'sync.status': 'staff',
  'staff.list': 'owner',
  'staff.add': 'owner',
  'staff.deactivate': 'owner',
  'slotAdmin.list': 'staff',
  'slotAdmin.lotMap': 'staff',
  'slotAdmin.add': 'owner',
  'slotAdmin.addMany': 'owner',
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
  'backup.download': 'owner',
  'receipt.get': 'booking',
  'receipt.print': 'booking',
  'receipt.verify': 'staff',
  'receipt.publicKey': 'public',
  'receipt.pdf': 'staff',
  'receipt.rotateKey': 'owner',
  'printer.get': 'staff',
  'printer.available': 'public',
  'printer.configure': 'owner',
  'printer.test': 'staff',
  'hub.lease': 'satellite',
  'hub.replay': 'satellite',
  'hub.release': 'satellite',
  'hub.bookingAccess': 'satellite',
  'satellite.pairStart': 'public',
  'satellite.pair': 'public',
  'satellite.hubInfo': 'staff',
  'satellite.createCode': 'owner',
  'satellite.list': 'staff',
  'satellite.revoke': 'owner',
  'satellite.whoami': 'satellite',
  'link.status': 'public',
  'clock.now': 'testClock',
  'clock.advance': 'testClock',
};

/** Inputs for procedures whose access is decided after validation (so an empty input would only test zod). */
let plateSerial = 1000;
const VALID_INPUTS: Record<string, (bookingId: number) => unknown> = {
  // Each allowed caller changes the plate again: staff with a reason, the driver once (then ALREADY_CORRECTED, still allowed).
  'booking.correctPlate': (id) => ({ id, vehicleNumber: `KA-50-${(plateSerial += 1)}`, reason: 'Access matrix' }),
};

type Actor = 'none' | 'otherBooking' | 'ownBooking' | 'expiredStaff' | 'staff' | 'owner' | 'satellite';
const ACTORS: Actor[] = ['none', 'otherBooking', 'ownBooking', 'expiredStaff', 'staff', 'owner', 'satellite'];
const DENY = new Set(['UNAUTHORIZED', 'FORBIDDEN']);

/** The exact refusal each caller must get, or 'allowed'. */
function expected(level: Level, actor: Actor): 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' {
  if (level === 'public' || level === 'testClock') return 'allowed';
  // A satellite credential opens the satellite procedures only; staff and drivers cannot call those.
  if (level === 'satellite') return actor === 'satellite' ? 'allowed' : 'UNAUTHORIZED';
  if (actor === 'satellite') return 'UNAUTHORIZED';
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
    addStaff(kiosk.core, 'Sam', 'staff', '735204');
    const expiring = await kiosk.staffToken('735204');
    kiosk.clock.advance(13 * HOUR); // the 12-hour session above is now over
    const tokens: Record<Actor, string | undefined> = {
      none: undefined,
      otherBooking: other.accessToken,
      ownBooking: mine.accessToken,
      expiredStaff: expiring,
      staff: await kiosk.staffToken('735204'),
      owner: await kiosk.staffToken('482916'),
      satellite: undefined,
    };
    setHubIdentity(kiosk.core, { fingerprint: 'AA:BB', addresses: [] });
    const satelliteCredential = registerSatellite(kiosk.core, { name: 'Matrix gate' }).credential;
    const failures: string[] = [];
    let calls = 0;
    // Logging out ends the session the later calls use, so it goes last.
    const paths = Object.keys(procedures).sort((a, b) => Number(a === 'auth.logout') - Number(b === 'auth.logout'));
    for (const path of paths) {
      const level = ACCESS[path]!;
      // A procedure that needs more than the id gets a valid input, so the verdict is about access, not shape.
      const input =
        path in VALID_INPUTS
          ? VALID_INPUTS[path]!(mine.id)
          : path === 'booking.extend'
            ? { id: mine.id, minutes: 60 }
            : path.startsWith('receipt.')
              ? { bookingId: mine.id }
              : level === 'booking'
                ? { id: mine.id }
                : undefined;
      for (const actor of ACTORS) {
        const got = await outcome(
          kiosk.caller(tokens[actor], `matrix-${actor}`, 'screen', actor === 'satellite' ? satelliteCredential : undefined),
          path,
          input,
        );
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

  it('slows PIN guessing per client with growing delays, and forgets after a correct PIN', async () => {
    kiosk = bootTestKiosk();
    const guesser = kiosk.caller(undefined, '10.0.0.66', 'network');
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1)
      codes.push(
        await guesser.auth.login({ pin: String(510000 + i) }).then(
          () => 'ok',
          (e) => e.code,
        ),
      );
    // 3 free tries, the 4th wrong one starts a 1 s delay that the 5th runs into.
    expect(codes).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS']);
    await expect(guesser.auth.login({ pin: '482916' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    kiosk.clock.advance(1000);
    await expect(guesser.auth.login({ pin: '510009' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // Now 5 failures: the next wait is 2 s, not 1 s.
    kiosk.clock.advance(1000);
    await expect(guesser.auth.login({ pin: '482916' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    kiosk.clock.advance(1000);
    await expect(guesser.auth.login({ pin: '482916' })).resolves.toHaveProperty('token');
    await expect(guesser.auth.login({ pin: '510010' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('never lets guessers from other addresses stop the owner: 24 wrong PINs from two addresses, then a correct one from a third and from the screen', async () => {
    kiosk = bootTestKiosk();
    const started = Date.now();
    const attackers = [kiosk.caller(undefined, '10.0.0.7', 'network'), kiosk.caller(undefined, '10.0.0.8', 'network')];
    const codes: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      codes.push(
        await attackers[i % 2]!.auth.login({ pin: String(620000 + i) }).then(
          () => 'ok',
          (e) => e.code,
        ),
      );
      kiosk.clock.advance(30_000); // spread over 12 minutes, as a patient guesser would
    }
    expect(codes).not.toContain('ok');
    expect(codes.filter((code) => code === 'TOO_MANY_REQUESTS').length).toBeGreaterThan(0);
    const owner = await kiosk.caller(undefined, '10.0.0.9', 'network').auth.login({ pin: '482916' });
    expect(owner.staff.role).toBe('owner');
    await expect(kiosk.caller(undefined, 'ipc', 'screen').auth.login({ pin: '482916' })).resolves.toHaveProperty('token');
    // The same address from the screen and from the network count apart.
    await expect(kiosk.caller(undefined, '10.0.0.7', 'screen').auth.login({ pin: '482916' })).resolves.toHaveProperty('token');
    recordFigures('login-throttle', { wrongPins: 24, attackers: 2, ownerLoginMs: Date.now() - started });
  });

  it('throttles reference guessing in "find my booking"', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA777', bookingType: 'instant' });
    const guesser = kiosk.caller(undefined, 'enumerator');
    const codes: string[] = [];
    for (let i = 0; i < 10; i += 1)
      codes.push(
        await guesser.booking.find({ reference: `ZZ${i}Q9X`, vehicleNumber: 'KA777' }).then(
          () => 'ok',
          (e) => e.code,
        ),
      );
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

  it('prints a one-time setup code at start on a database with no staff (npm run serve), which the setup accepts', async () => {
    const fresh = await startServer({ staffPin: '' });
    try {
      const deadline = Date.now() + 20_000;
      while (!/First-run setup code: ([A-Z2-9]{10})/.test(fresh.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const code = /First-run setup code: ([A-Z2-9]{10})/.exec(fresh.output())?.[1];
      expect(code, fresh.output()).toBeDefined();
      const owner = await fresh.client().auth.setup.mutate({ name: 'Meera', pin: '482916', setupCode: code });
      expect(owner.staff.role).toBe('owner');
    } finally {
      await fresh.stop();
    }
  });

  it('rejects cross-origin browser calls with 403 and serves same-origin ones', async () => {
    const call = (origin?: string) => fetch(`${server.url}/trpc/lot.list`, { headers: origin ? { origin } : {} }).then((res) => res.status);
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
    const stored = await server.client((await server.client().auth.login.mutate({ pin: '482916' })).token).booking.list.query({});
    expect(stored.items).toHaveLength(0);
  });
});

/** A typed failure as `CODE/REASON` (or `ok`), for tables of outcomes. */
const verdict = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string; cause?: { reason?: string } }) => `${error.code}${error.cause?.reason ? `/${error.cause.reason}` : ''}`,
  );

describe('accounts, tokens and limits: the screen versus the network', () => {
  it("a restore never hands an old id again: an old token reads nothing new, sessions end except the restorer's", async () => {
    kiosk = bootTestKiosk();
    const ownerToken = await kiosk.staffToken();
    const owner = kiosk.caller(ownerToken);
    const anon = kiosk.caller();
    await anon.booking.create({ slotId: 1, vehicleNumber: 'KA4001', bookingType: 'instant' });
    const backup = await owner.backup.create();
    const lost = await anon.booking.create({ slotId: 2, vehicleNumber: 'KA4002', bookingType: 'instant' });
    const sam = await owner.staff.add({ name: 'Sam', role: 'staff', pin: '735204' });
    const samToken = await kiosk.staffToken('735204');
    await owner.backup.restore({ name: backup.name });

    const next = await anon.booking.create({ slotId: 3, vehicleNumber: 'KA4003', bookingType: 'instant' });
    expect(next.id).toBeGreaterThan(lost.id);
    expect(await verdict(kiosk.caller(lost.accessToken).booking.get({ id: next.id }))).toMatch(/UNAUTHORIZED|FORBIDDEN/);
    expect(await verdict(kiosk.caller(lost.accessToken).booking.cancel({ id: next.id }))).toMatch(/UNAUTHORIZED|FORBIDDEN/);
    const zed = await owner.staff.add({ name: 'Zed', role: 'owner', pin: '917364' });
    expect(zed.id).toBeGreaterThan(sam.id);
    // Sam's session (made after the backup) does not turn into anyone, and the restorer stays in.
    expect(await verdict(kiosk.caller(samToken).auth.me())).toBe('UNAUTHORIZED');
    expect((await owner.auth.me()).role).toBe('owner');

    // Even if an id did come back, a token names its own booking (reference + creation instant).
    // (Rewind the counter as the old restore did: drop the rows above and set the counter back.)
    kiosk.core.db.sqlite.prepare('DELETE FROM receipts WHERE booking_id >= ?').run(lost.id);
    kiosk.core.db.sqlite.prepare('DELETE FROM bookings WHERE id >= ?').run(lost.id);
    kiosk.core.db.sqlite.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'bookings'").run(lost.id - 1);
    const reused = await anon.booking.create({ slotId: 4, vehicleNumber: 'KA4004', bookingType: 'instant' });
    expect(reused.id).toBe(lost.id);
    expect(await verdict(kiosk.caller(lost.accessToken).booking.get({ id: reused.id }))).toBe('UNAUTHORIZED');
    expect(await verdict(kiosk.caller(lost.accessToken).booking.cancel({ id: reused.id }))).toBe('UNAUTHORIZED');
    expect(await verdict(kiosk.caller(reused.accessToken).booking.get({ id: reused.id }))).toBe('ok');
  });

  it('a file put back with the kiosk stopped (start-up recovery, the CLI) keeps ids above all ever issued and carries no session', async () => {
    kiosk = bootTestKiosk();
    const dbFile = kiosk.dbFile;
    const owner = kiosk.caller(await kiosk.staffToken());
    const backup = await owner.backup.create();
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await kiosk.caller().booking.create({ slotId: 5 + i, vehicleNumber: `KA50${i}`, bookingType: 'instant' }));
    const staffToken = await kiosk.staffToken();
    const backupPath = join(backupDirFor(dbFile), backup.name);
    // A crash: the kiosk is not shut down cleanly before the file is replaced.
    kiosk.backups.stop();
    kiosk.core.db.close();
    restoreIntoFile(backupPath, dbFile, Date.now(), 'damaged');
    kiosk = bootTestKiosk({ dbFile });
    const next = await kiosk.caller().booking.create({ slotId: 9, vehicleNumber: 'KA5099', bookingType: 'instant' });
    expect(next.id).toBeGreaterThan(made.at(-1)!.id);
    expect(await verdict(kiosk.caller(staffToken).auth.me())).toBe('UNAUTHORIZED');
    for (const old of made) expect(await verdict(kiosk.caller(old.accessToken).booking.get({ id: next.id }))).toMatch(/UNAUTHORIZED|FORBIDDEN/);
    recordFigures('id-floor', { idsBeforeReplace: made.at(-1)!.id, firstIdAfter: next.id });
  });

  it('limits anonymous bookings per network client (a minute, at once) with typed reasons, never the screen', async () => {
    kiosk = bootTestKiosk();
    const net = kiosk.caller(undefined, '10.0.0.20', 'network');
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i += 1) outcomes.push(await verdict(net.booking.create({ slotId: 1 + i, vehicleNumber: `KL10${i}`, bookingType: 'instant' })));
    expect(outcomes).toEqual(['ok', 'ok', 'ok', `TOO_MANY_REQUESTS/BOOKING_ACTIVE_LIMIT`]);
    expect(NETWORK_BOOKING_LIMITS.activeAtOnce).toBe(3);

    const hammer = kiosk.caller(undefined, '10.0.0.21', 'network');
    const rate: string[] = [];
    for (let i = 0; i < NETWORK_BOOKING_LIMITS.attemptsPerMinute + 1; i += 1) {
      rate.push(await verdict(hammer.booking.create({ slotId: 1, vehicleNumber: `KL2${i}`, bookingType: 'instant' })));
    }
    expect(rate.slice(0, -1).every((code) => code === 'CONFLICT/SLOT_TAKEN')).toBe(true);
    expect(rate.at(-1)).toBe('TOO_MANY_REQUESTS/BOOKING_RATE_LIMIT');
    kiosk.clock.advance(60_000);
    expect(await verdict(hammer.booking.create({ slotId: 10, vehicleNumber: 'KL2X', bookingType: 'instant' }))).toBe('ok');

    // The screen books for every driver: 8 at once, no limit.
    const screen = kiosk.caller(undefined, 'ipc', 'screen');
    for (let i = 0; i < 8; i += 1) expect(await verdict(screen.booking.create({ slotId: 11 + i, vehicleNumber: `KS${i}`, bookingType: 'instant' }))).toBe('ok');
  });

  it('does not let a network client probe plates: VEHICLE_BUSY answers are limited per client, the screen still hears them', async () => {
    kiosk = bootTestKiosk();
    await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA0999', bookingType: 'instant' });
    const prober = kiosk.caller(undefined, '10.0.0.30', 'network');
    const answers: string[] = [];
    for (let i = 0; i < 5; i += 1) answers.push(await verdict(prober.booking.create({ slotId: 2 + i, vehicleNumber: 'KA0999', bookingType: 'instant' })));
    const busy = NETWORK_BOOKING_LIMITS.vehicleBusyPerHour;
    expect(answers).toEqual([...Array(busy).fill('CONFLICT/VEHICLE_BUSY'), ...Array(5 - busy).fill('TOO_MANY_REQUESTS/VEHICLE_CHECK_LIMIT')]);
    // Blocked for other plates too, until the hour is over.
    expect(await verdict(prober.booking.create({ slotId: 8, vehicleNumber: 'KA0001', bookingType: 'instant' }))).toBe('TOO_MANY_REQUESTS/VEHICLE_CHECK_LIMIT');
    const screen = kiosk.caller(undefined, 'ipc', 'screen');
    for (let i = 0; i < 6; i += 1)
      expect(await verdict(screen.booking.create({ slotId: 9 + i, vehicleNumber: 'KA0999', bookingType: 'instant' }))).toBe('CONFLICT/VEHICLE_BUSY');
    kiosk.clock.advance(60 * 60_000);
    expect(await verdict(prober.booking.create({ slotId: 8, vehicleNumber: 'KA0001', bookingType: 'instant' }))).toBe('ok');
    recordFigures('plate-probing', { vehicleBusyAnswersPerHourPerClient: busy });
  });

  it('first-run setup: from the screen without a code; from the network only with the one-time code printed at start', async () => {
    kiosk = bootTestKiosk({ staffPin: '' });
    expect(kiosk.setupCode).toMatch(/^[A-Z2-9]{10}$/);
    const net = kiosk.caller(undefined, '10.0.0.40', 'network');
    expect(await verdict(net.auth.setup({ name: 'Mallory', pin: '735204' }))).toBe('FORBIDDEN/SETUP_CODE_NEEDED');
    expect(await verdict(net.auth.setup({ name: 'Mallory', pin: '735204', setupCode: 'WRONGCODE2' }))).toBe('FORBIDDEN/SETUP_CODE_NEEDED');
    const owner = await net.auth.setup({ name: 'Meera', pin: '482916', setupCode: kiosk.setupCode!.toLowerCase() });
    expect(owner.staff).toMatchObject({ name: 'Meera', role: 'owner' });
    kiosk.close();

    kiosk = bootTestKiosk({ staffPin: '' });
    expect((await kiosk.caller(undefined, 'ipc', 'screen').auth.setup({ name: 'Meera', pin: '482916' })).staff.role).toBe('owner');
    // The code is one-time: with an owner set up it opens nothing.
    expect(await verdict(kiosk.caller(undefined, '10.0.0.41', 'network').auth.setup({ name: 'X', pin: '735204', setupCode: kiosk.setupCode! }))).toBe(
      'PRECONDITION_FAILED',
    );
  });

  it('hashes PINs with scrypt N=2^17 (within maxmem) and still verifies and upgrades old N=2^14 hashes', async () => {
    const strong = hashPin('482916', { N: 2 ** 17, r: 8, p: 1 });
    expect(strong).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
    expect(await pinMatches('482916', strong)).toBe(true);
    expect(await pinMatches('735204', strong)).toBe(false);
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString('base64')}$${scryptSync('735204', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    expect(await pinMatches('735204', legacy)).toBe(true);
    expect(needsRehash(legacy)).toBe(PIN_HASH_PARAMS.N > 2 ** 14);
    kiosk = bootTestKiosk();
    kiosk.core.db.sqlite.prepare("INSERT INTO staff (name, role, pin_hash, active, created_at) VALUES ('Old', 'staff', ?, 1, 0)").run(legacy);
    await expect(kiosk.caller(undefined, 'desk').auth.login({ pin: '735204' })).resolves.toMatchObject({ staff: { name: 'Old' } });
    expect(['482916', '735204'].map(trivialPinReason)).toEqual([null, null]);
  });

  it("a plain staff member's backups never prune the owner's manual ones", async () => {
    kiosk = bootTestKiosk();
    configureBackups(kiosk.core, { keep: 2 });
    const owner = kiosk.caller(await kiosk.staffToken());
    await owner.staff.add({ name: 'Sam', role: 'staff', pin: '735204' });
    const staff = kiosk.caller(await kiosk.staffToken('735204'));
    const mine = [await owner.backup.create(), await owner.backup.create()];
    for (let i = 0; i < 4; i += 1) expect((await staff.backup.create()).kind).toBe('staff');
    const names = (await owner.backup.list()).backups.map((b) => b.name);
    for (const backup of mine) expect(names).toContain(backup.name);
  });

  it('booking tokens lapse a day after the booking ends, and 15 minutes after a cancel (the kiosk reads "cancelled" meanwhile)', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const ended = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA6001', bookingType: 'instant' });
    const cancelled = await anon.booking.create({ slotId: 2, vehicleNumber: 'KA6002', bookingType: 'instant' });
    await kiosk.caller(cancelled.accessToken).booking.cancel({ id: cancelled.id });
    expect((await kiosk.caller(cancelled.accessToken).booking.get({ id: cancelled.id })).status).toBe('cancelled');
    kiosk.clock.advance(TOKEN_AFTER_CANCEL_MS + 1);
    expect(await verdict(kiosk.caller(cancelled.accessToken).booking.get({ id: cancelled.id }))).toBe('UNAUTHORIZED');
    const endMs = Date.parse(ended.endTime);
    kiosk.clock.advance(endMs + TOKEN_AFTER_END_MS - kiosk.clock.now() - 1000);
    expect((await kiosk.caller(ended.accessToken).booking.get({ id: ended.id })).status).toBe('completed');
    kiosk.clock.advance(2000);
    expect(await verdict(kiosk.caller(ended.accessToken).booking.get({ id: ended.id }))).toBe('UNAUTHORIZED');
    expect(await verdict(kiosk.caller(ended.accessToken).booking.renew({ id: ended.id }))).toBe('UNAUTHORIZED');
  });
});
