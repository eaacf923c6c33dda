import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fullRouter } from '../../electron/api/router';
import { addStaff } from '../../electron/core/auth/staff';
import { bootTestKiosk, type TestKiosk } from '../support/core';
import { startServer, type RunningServer } from '../support/server';
import { integrity, malformedBookings, overlappingPairs, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';
import { leaks, raw, staticFixture } from './support/raw-http';

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 5000);
const HTTP_RUNS = Number(process.env.RELIABILITY_FUZZ_HTTP_RUNS ?? 600);

interface Procedure {
  _def: { type: 'query' | 'mutation' | 'subscription' };
}
const procedures = (fullRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures;
const paths = Object.keys(procedures);

/** Text meant to hurt: injection, control characters, odd Unicode, huge, number-like. */
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE bookings; --',
    '\u0000',
    '\u202e1234',
    '𝔎𝔄01🚗',
    'ka 01 ab 1234',
    'KA-01-AB-1234',
    'A'.repeat(100_000),
    '../../etc/passwd',
    'kiosk-20260115T140000000Z-0001-manual.db',
    '2026-01-15T14:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2026-02-30T25:61:61Z',
    '1e309',
    'NaN',
    '__proto__',
    'constructor',
    '',
    ' ',
  ),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 30 }),
  fc.double(),
  fc.constantFrom(0, -0, -1, 1, 2, 3, 2 ** 31, 2 ** 31 + 1, 2 ** 53, Number.MAX_VALUE, NaN, Infinity, -Infinity, 1.5),
);
const hostileValue = fc.oneof(hostileText, hostileNumber, fc.constantFrom(null, undefined, true, false, [], {}), fc.anything({ maxDepth: 2 }));
const nearValid = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 40 }), hostileValue),
    slotId: fc.oneof(fc.integer({ min: 1, max: 30 }), hostileValue),
    lotId: fc.oneof(fc.constant(1), hostileValue),
    vehicleNumber: fc.oneof(fc.constantFrom('KA01AB1234', 'MH12', 'kl 08 az 1'), hostileText),
    bookingType: fc.constantFrom('instant', 'advance', 'INSTANT', '', 'x'),
    startTime: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      hostileText,
    ),
    reference: hostileText,
    pin: fc.oneof(fc.stringMatching(/^[0-9]{4,8}$/), hostileText),
    name: hostileText,
    reason: hostileText,
    status: fc.constantFrom('booked', 'completed', 'cancelled', 'deleted'),
    search: hostileText,
    from: hostileText,
    to: hostileText,
    limit: hostileNumber,
    cursor: fc.oneof(hostileNumber, fc.constant(null)),
    ms: fc.oneof(fc.integer({ min: 0, max: 3 * 3600_000 }), hostileNumber),
    hourlyPrice: hostileNumber,
    label: hostileText,
    role: fc.constantFrom('staff', 'owner', 'admin'),
    // Receipts and the printer. Printer hosts stay on loopback (or are invalid): a fuzzed
    // set-up must never make the kiosk connect anywhere else; port 1 refuses at once.
    bookingId: fc.oneof(fc.integer({ min: 1, max: 40 }), hostileValue),
    text: fc.oneof(fc.constantFrom('PK1:', 'PK1:6BFOXN*TS0BI$ZD.P9', 'PK2:AAA', 'pk1:abc\n'), hostileText),
    kind: fc.constantFrom('none', 'network', 'usb', ''),
    host: fc.constantFrom('127.0.0.1', '::1', '', 'bad host!', 'http://127.0.0.1'),
    port: fc.constantFrom(1, 0, -1, 70_000, 1.5),
    columns: fc.oneof(fc.constantFrom(32, 42), hostileNumber),
    timeoutMs: fc.constantFrom(500, 1000, 0, 99_999),
    statusCheck: fc.constantFrom('require', 'best-effort', 'off', 'maybe'),
    // Slot holds (issue 13): well-formed tokens that name no hold, and hostile text.
    holdToken: fc.oneof(fc.stringMatching(/^hd_[A-Za-z0-9_-]{32}$/), hostileText),
    slotHoldMinutes: fc.oneof(fc.integer({ min: 0, max: 12 }), hostileNumber),
    plateCorrectionMinutes: fc.oneof(fc.integer({ min: -5, max: 70 }), hostileNumber),
    // The lot's grace (issue 12): 0-120 minutes.
    graceMinutes: fc.oneof(fc.integer({ min: -5, max: 130 }), hostileNumber),
  },
  { requiredKeys: [] },
);
// Tariff documents: a valid one, and the same with one field made hostile.
const VALID_TARIFF = {
  schemaVersion: 1,
  currency: 'INR',
  stepMinutes: 15,
  minimumCharge: 0,
  dailyCap: { amount: 30000, resetTime: '02:00' },
  maxStayMinutes: 240,
  durations: { minMinutes: 30, maxMinutes: 120, stepMinutes: 30, defaultMinutes: 60 },
  graceMinutes: 10,
  rates: [
    { name: 'Night', startTime: '22:00', endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
    {
      name: 'Standard',
      tiers: [
        { fromMinute: 0, pricePerHour: 6000 },
        { fromMinute: 60, pricePerHour: 4000 },
      ],
    },
  ],
};
const tariffDoc = fc.oneof(
  fc.constant(VALID_TARIFF),
  fc.tuple(fc.constantFrom(...Object.keys(VALID_TARIFF)), hostileValue).map(([key, value]) => ({ ...VALID_TARIFF, [key]: value })),
  fc
    .tuple(hostileValue, hostileText)
    .map(([value, time]) => ({ ...VALID_TARIFF, rates: [{ name: 'X', startTime: time, endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: value }] }] })),
  hostileValue,
);
const nearValidTariffs = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 40 }), hostileValue),
    slotId: fc.oneof(fc.integer({ min: 1, max: 30 }), hostileValue),
    bookingType: fc.constantFrom('instant', 'advance', 'x'),
    startTime: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      hostileText,
    ),
    durationMinutes: fc.oneof(fc.constantFrom(30, 60, 90, 120, 45), hostileNumber),
    minutes: fc.oneof(fc.constantFrom(30, 60, 120), hostileNumber),
    document: tariffDoc,
    vehicleType: fc.constantFrom('car', 'bike', 'suv', 'ev', 'truck', 'boat'),
    timeZone: fc.oneof(fc.constantFrom('Asia/Kolkata', 'Europe/London', 'America/New_York', 'Mars/Base'), hostileText),
    lotId: fc.oneof(fc.constant(1), hostileValue),
  },
  { requiredKeys: [] },
);
const input = fc.oneof({ weight: 3, arbitrary: nearValid }, { weight: 2, arbitrary: nearValidTariffs }, { weight: 1, arbitrary: hostileValue });

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

async function call(caller: unknown, path: string, payload: unknown): Promise<string> {
  const fn = path.split('.').reduce((node: any, key) => node[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    const result = await fn(payload);
    if (procedures[path]!._def.type === 'subscription') {
      const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      try {
        await iterator.next();
      } finally {
        await iterator.return?.();
      }
    }
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code && (error as Error).name === 'TRPCError' ? code : `untyped ${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('bad input: random and hostile input at every procedure', () => {
  it(`answers ${RUNS} hostile calls with a typed error or a valid result, and the data stays consistent`, async () => {
    kiosk = bootTestKiosk();
    addStaff(kiosk.core, 'Sam', 'staff', '735204');
    const anon = kiosk.caller();
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA900', bookingType: 'instant' });
    const tokens = [undefined, made.accessToken, await kiosk.staffToken('735204'), await kiosk.staffToken('482916'), 'st_forged', 'bk_1_0_' + 'A'.repeat(32)];
    const codes: Record<string, number> = {};
    const bad: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom(...tokens), input, async (path, token, payload) => {
        const got = await call(kiosk.caller(token, `fuzz-${tokens.indexOf(token)}`), path, payload);
        codes[got.startsWith('untyped') ? 'untyped' : got] = (codes[got.startsWith('untyped') ? 'untyped' : got] ?? 0) + 1;
        if (got === 'INTERNAL_SERVER_ERROR' || got.startsWith('untyped')) {
          bad.push(`${path} ${JSON.stringify(payload)?.slice(0, 200)} → ${got}`);
          return false;
        }
        return true;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(bad).toEqual([]);
    withDb(kiosk.dbFile, (db) => {
      expect(integrity(db)).toBe('ok');
      expect(overlappingPairs(db)).toBe(0);
      expect(malformedBookings(db)).toBe(0);
    });
    expect(codes.ok).toBeGreaterThan(0);
    expect(codes.BAD_REQUEST).toBeGreaterThan(0);
    recordFigures('fuzz-in-process', { calls: RUNS, procedures: paths.length, ...codes });
  }, 180_000);
});

describe('bad input over HTTP: malformed requests never take the server down', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it(`answers ${HTTP_RUNS} malformed HTTP requests without a 500 and stays up`, async () => {
    const statuses: Record<string, number> = {};
    const bad: string[] = [];
    const request = fc.record({
      path: fc.oneof(
        fc.constantFrom(...paths),
        hostileText.map((text) => encodeURIComponent(text).slice(0, 200)),
        fc.constantFrom('booking.create,booking.get', 'x.y.z', '', '..'),
      ),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
      body: fc.oneof(
        input.map((value) => {
          try {
            return JSON.stringify(value) ?? '';
          } catch {
            return '{';
          }
        }),
        fc.constantFrom('{', 'null', '[]', '{"0":{}}', '\u0000', '{"json":'.repeat(1000), 'x'.repeat(200_000)),
      ),
      query: fc.oneof(
        fc.constant(''),
        input.map((value) => {
          try {
            return `?input=${encodeURIComponent(JSON.stringify(value) ?? '')}`;
          } catch {
            return '?input=%7B';
          }
        }),
        fc.constant('?batch=1&input=%7B%220%22%3A1%7D'),
        fc.constant('?input=%ZZ'),
      ),
      auth: fc.constantFrom(undefined, 'Bearer st_x', 'Bearer bk_1_0_AAAA', 'Basic abc', 'Bearer ' + 'x'.repeat(10_000)),
    });
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const url = `${server.url}/trpc/${req.path}${req.query}`;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (req.auth) headers.authorization = req.auth;
        const res = await fetch(url, {
          method: req.method,
          headers,
          body: req.method === 'GET' ? undefined : req.body,
          signal: AbortSignal.timeout(10_000),
        }).catch((error: Error) => ({ status: `network: ${error.message}`, body: null }) as const);
        const status = String(res.status);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if ('body' in res && res.body) await (res as Response).arrayBuffer().catch(() => undefined);
        if (status === '500' || status.startsWith('network')) {
          bad.push(`${req.method} ${req.path}${req.query.slice(0, 100)} → ${status}`);
          return false;
        }
        return true;
      }),
      { numRuns: HTTP_RUNS, endOnFailure: true },
    );
    expect(bad).toEqual([]);
    expect(server.process.exitCode).toBeNull();
    expect(server.process.signalCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    withDb(server.dbFile, (db) => {
      expect(integrity(db)).toBe('ok');
      expect(overlappingPairs(db)).toBe(0);
    });
    recordFigures('fuzz-http', { requests: HTTP_RUNS, ...statuses });
  }, 180_000);
});

describe('bad input over HTTP: static routes and foreign Host headers', () => {
  const fixture = staticFixture();
  let server: RunningServer;
  beforeAll(async () => {
    // The static folder sits beside a secret file and the live database, as in a careless install.
    server = await startServer({ dbFile: fixture.dbFile, staticDir: fixture.root, staffPin: '482916' });
  });
  afterAll(() => server?.stop());

  it(`answers ${HTTP_RUNS} hostile static paths and Host headers without a 500, a leak or a crash`, async () => {
    const port = new URL(server.url).port;
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2E',
        '%2e',
        '..%2f',
        '..%2F',
        '..%5c',
        '%2f',
        '%5c',
        '%00',
        '%ZZ',
        '%',
        '%%',
        '%C0%AE',
        '%252e%252e%252f',
        '.env',
        'secret.txt',
        'kiosk.db',
        'kiosk.db-wal',
        'kiosk.db-shm',
        'web-private',
        'assets',
        'app.js',
        'index.html',
        'leak.txt',
        'up',
        '%C3%A9',
        '\\',
        '',
      ),
      fc.string({ maxLength: 8 }).map((text) => encodeURIComponent(text)),
    );
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    const foreign = [
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `127.0.0.1:1`,
      'evil.example',
      '',
      'x'.repeat(300),
      `[::2]:${port}`,
      `localhost.:${port}`,
    ];
    const request = fc.record({
      path: fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
      query: fc.constantFrom('', '?x=1', '?%ZZ', '#frag'),
      host: fc.constantFrom(...allowed, ...foreign),
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT'),
      api: fc.boolean(),
    });
    const statuses: Record<string, number> = {};
    const bad: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        if (bad.length) return false;
        const target = `${req.api ? '/trpc' : ''}${req.path}${req.query}`;
        const res = await raw(server.url, target, { method: req.method, headers: { host: req.host } });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const isForeign = foreign.includes(req.host);
        const problem =
          res.status === 0 || res.status >= 500
            ? `status ${res.status} ${res.body.slice(0, 80)}`
            : leaks(res.body, fixture.secret)
              ? 'leaked a file'
              : isForeign && res.status !== 403
                ? `foreign host answered ${res.status}`
                : null;
        if (problem) bad.push(`${req.method} ${target} Host:${req.host.slice(0, 40)} → ${problem}`);
        return true;
      }),
      { numRuns: HTTP_RUNS },
    );
    expect(bad).toEqual([]);
    expect(server.process.exitCode).toBeNull();
    expect((await raw(server.url, '/healthz')).status).toBe(200);
    recordFigures('fuzz-http-static', { requests: HTTP_RUNS, ...statuses });
  }, 180_000);
});
