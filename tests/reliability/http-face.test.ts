import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPolicy, isLoopbackAddress, isLoopbackHost, parseHost } from '../../electron/server/hosts';
import { startServer, type RunningServer } from '../support/server';
import { bookingCount, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';
import { leaks, raw, rawStream, staticFixture, type RawStream } from './support/raw-http';

/**
 * The HTTP face as an attacker meets it (issue 9): malformed targets, paths out of the static
 * root, foreign Host names (DNS rebinding), oversized batches and bodies, too many streams,
 * tokens in URLs and streams that outlive their session. One real server for the whole file,
 * with its static folder beside a secret and the live database.
 */
const OWNER_PIN = '482916';
const STAFF_PIN = '735204';
const fixture = staticFixture();
let server: RunningServer;
let port: string;
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

beforeAll(async () => {
  server = await startServer({
    dbFile: fixture.dbFile,
    staticDir: fixture.root,
    staffPin: OWNER_PIN,
    env: {
      KIOSK_ALLOWED_HOSTS: 'kiosk.lot',
      KIOSK_MAX_STREAMS_PER_CLIENT: '3',
      KIOSK_MAX_NETWORK_STREAMS: '5',
      KIOSK_MAX_STREAMS: '8',
    },
  });
  port = new URL(server.url).port;
}, 60_000);
afterAll(async () => {
  await server?.stop();
  expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
});

const stillUp = async () => {
  expect(server.process.exitCode).toBeNull();
  expect((await raw(server.url, '/healthz')).status).toBe(200);
};
const ownerToken = async () => (await server.client().auth.login.mutate({ pin: OWNER_PIN })).token;

describe('static files: only regular files under the real root', () => {
  const attacks = [
    '/..%2fweb-private%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%2fkiosk.db',
    '/..%2fkiosk.db-wal',
    '/..%5ckiosk.db',
    '/%2e%2e%2fkiosk.db',
    '/%2e%2e/kiosk.db',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/.env',
    '/%2eenv',
    '/leak.txt',
    '/up/secret.txt',
    '/up/kiosk.db',
    '/index.html%00.js',
    '/..%252fsecret.txt',
  ];
  it.each(attacks)('refuses %s without leaking a byte', async (target) => {
    const res = await raw(server.url, target);
    expect(leaks(res.body, fixture.secret)).toBe(false);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('serves the app: files, the SPA fallback only for extension-less routes, and a strict CSP', async () => {
    const script = await raw(server.url, '/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.body).toContain('kiosk');
    const page = await raw(server.url, '/staff');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect((await raw(server.url, '/assets/missing.js')).status).toBe(404);
    const csp = String((await raw(server.url, '/')).headers['content-security-policy']);
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(csp).toContain(directive);
    expect((await raw(server.url, '/', { method: 'HEAD' })).status).toBe(200);
  });
});

describe('DNS rebinding: only the Host names the server was started for', () => {
  it('refuses a foreign Host on every route, even with a matching Origin', async () => {
    const evil = `evil.example:${port}`;
    for (const target of ['/', '/healthz', '/assets/app.js', '/trpc/lot.list', '/trpc/slot.list']) {
      expect((await raw(server.url, target, { headers: { host: evil } })).status).toBe(403);
    }
    const login = await raw(server.url, '/trpc/auth.login', {
      method: 'POST',
      headers: { host: evil, origin: `http://${evil}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin: OWNER_PIN }),
    });
    expect(login.status).toBe(403);
    expect(login.body).not.toContain('st_');
    for (const host of [`127.0.0.1:1`, 'evil.example', `127.0.0.1.evil.example:${port}`, '', 'a b']) {
      expect((await raw(server.url, '/healthz', { headers: { host } })).status).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers loopback names and names given in KIOSK_ALLOWED_HOSTS', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `kiosk.lot:${port}`, `KIOSK.LOT:${port}`]) {
      expect((await raw(server.url, '/trpc/lot.list', { headers: { host } })).status).toBe(200);
    }
  });

  it('requires a same-origin browser for state-changing calls', async () => {
    const before = withDb(server.dbFile, bookingCount);
    const create = (headers: Record<string, string>) =>
      raw(server.url, '/trpc/booking.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ slotId: 2, vehicleNumber: 'KA01HF0001', bookingType: 'instant' }),
      });
    expect((await create({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await create({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await create({ origin: 'null' })).status).toBe(403);
    expect(withDb(server.dbFile, bookingCount)).toBe(before);
    expect((await create({ origin: server.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('tells the kiosk screen (loopback socket and loopback Host) from the network', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.5')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('192.168.1.20')).toBe(false);
    expect(isLoopbackHost('localhost:4780')).toBe(true);
    expect(isLoopbackHost('evil.example:4780')).toBe(false);
    expect(parseHost('[::1]:80')).toEqual({ name: '[::1]', port: 80 });
    const policy = new HostPolicy({ port: () => 4780, bindHost: '192.168.1.20' });
    expect(policy.allows('192.168.1.20:4780')).toBe(true);
    expect(policy.allows('192.168.1.20:4781')).toBe(false);
    expect(policy.allows('kiosk.evil:4780')).toBe(false);
  });
});

describe('limits: batch, body, URL', () => {
  it('refuses a batch of 17 (GET and POST) and stores nothing; 16 are fine', async () => {
    const get = (n: number) => raw(server.url, `/trpc/${Array(n).fill('lot.list').join(',')}?batch=1&input=${q({})}`);
    expect((await get(16)).status).toBe(200);
    const refused = await get(17);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error).toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(JSON.parse(refused.body).error.message).toContain('at most 16');
    const before = withDb(server.dbFile, bookingCount);
    const inputs = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [i, { slotId: 3 + (i % 10), vehicleNumber: `KA02B${i}`, bookingType: 'instant' }]));
    const post = await raw(server.url, `/trpc/${Array(17).fill('booking.create').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(inputs),
    });
    expect(post.status).toBe(400);
    expect(withDb(server.dbFile, bookingCount)).toBe(before);
  });

  it('refuses bodies over 64 KiB with PAYLOAD_TOO_LARGE (413), declared or chunked', async () => {
    const body = JSON.stringify({ slotId: 1, vehicleNumber: 'KA1', bookingType: 'instant', pad: 'x'.repeat(100 * 1024) });
    for (const headers of [{}, { 'transfer-encoding': 'chunked' }] as Record<string, string>[]) {
      const res = await raw(server.url, '/trpc/booking.create', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.data.code).toBe('PAYLOAD_TOO_LARGE');
    }
    await stillUp();
  });

  it('refuses a 10,000-character URL with 414 (and a 20,000-character one with 431 before it is parsed)', async () => {
    expect((await raw(server.url, `/trpc/lot.list?input=${'A'.repeat(10_000)}`)).status).toBe(414);
    expect((await raw(server.url, `/${'a'.repeat(10_000)}`)).status).toBe(414);
    expect((await raw(server.url, `/trpc/lot.list?input=${'A'.repeat(20_000)}`)).status).toBe(431);
    await stillUp();
  });
});

describe('live streams: capped per client and in total, the screen keeps its share', () => {
  const open: RawStream[] = [];
  afterAll(() => open.forEach((stream) => stream.close()));
  const watch = async (host: string, localAddress = '127.0.0.1') => {
    const stream = await rawStream(server.url, `/trpc/slot.watch?input=${q({})}`, { headers: { host }, localAddress });
    if (stream.status === 200) open.push(stream);
    else stream.close();
    return stream.status;
  };

  it('refuses the 4th stream of one network client, the 6th of the network, the 9th of all', async () => {
    const network = `kiosk.lot:${port}`; // loopback socket but a network Host: counted as the network
    const screen = `127.0.0.1:${port}`;
    expect([await watch(network), await watch(network), await watch(network)]).toEqual([200, 200, 200]);
    expect(await watch(network)).toBe(429); // per client
    expect([await watch(network, '127.0.0.2'), await watch(network, '127.0.0.2')]).toEqual([200, 200]);
    expect(await watch(network, '127.0.0.3')).toBe(429); // all network streams
    expect([await watch(screen), await watch(screen), await watch(screen)]).toEqual([200, 200, 200]); // the screen's headroom
    expect(await watch(screen)).toBe(429); // everything
    // Closing a stream gives its place back.
    open.shift()!.close();
    let status = 0;
    for (let tries = 0; tries < 50 && status !== 200; tries++) {
      status = await watch(network, '127.0.0.3');
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    await stillUp();
    recordFigures('http-stream-caps', { perClient: 3, network: 5, total: 8 });
  });
});

describe('tokens and streams', () => {
  it('accepts connectionParams only for subscriptions, not for a plain GET', async () => {
    const token = await ownerToken();
    const viaParams = await raw(server.url, `/trpc/booking.list?input=${q({})}&connectionParams=${q({ token })}`);
    expect(viaParams.status).toBe(401);
    const viaHeader = await raw(server.url, `/trpc/booking.list?input=${q({})}`, { headers: { authorization: `Bearer ${token}` } });
    expect(viaHeader.status).toBe(200);
  });

  it('ends a staff stream with UNAUTHORIZED once its session is logged out or the staff member deactivated', async () => {
    const owner = await ownerToken();
    const booking = await server.client().booking.create.mutate({ slotId: 5, vehicleNumber: 'KA03HF0003', bookingType: 'instant' });
    const member = await server.client(owner).staff.add.mutate({ name: 'Second', role: 'staff', pin: STAFF_PIN });
    const staff = (await server.client().auth.login.mutate({ pin: STAFF_PIN })).token;
    const loggedOut = await server.client().auth.login.mutate({ pin: OWNER_PIN });
    const streams = [
      await rawStream(server.url, `/trpc/booking.watch?input=${q({ id: booking.id })}&connectionParams=${q({ token: loggedOut.token })}`),
      await rawStream(server.url, `/trpc/lot.changes?input=${q({})}&connectionParams=${q({ token: loggedOut.token })}`),
      await rawStream(server.url, `/trpc/lot.changes?input=${q({})}&connectionParams=${q({ token: staff })}`),
    ];
    try {
      for (const stream of streams) expect(await stream.until((text) => text.includes('data:'))).toBe(true);
      await server.client(loggedOut.token).auth.logout.mutate();
      await server.client(owner).staff.deactivate.mutate({ staffId: (member as { id: number }).id });
      // A change wakes every stream; none may deliver it to a session that is gone.
      await server.client(owner).booking.cancel.mutate({ id: booking.id });
      for (const stream of streams) {
        expect(await stream.until((text) => text.includes('UNAUTHORIZED'), 20_000)).toBe(true);
        expect(stream.text()).not.toContain('"status":"cancelled"');
      }
      // A stream of a session that still holds goes on.
      const kept = await rawStream(server.url, `/trpc/booking.watch?input=${q({ id: booking.id })}&connectionParams=${q({ token: owner })}`);
      expect(await kept.until((text) => text.includes('"status":"cancelled"'))).toBe(true);
      kept.close();
    } finally {
      streams.forEach((stream) => stream.close());
    }
  });
});

// Last, and on its own server: on the old code this request ended the process.
describe('malformed requests never end the process', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer({ staticDir: fixture.root, staffPin: OWNER_PIN });
  }, 60_000);
  afterAll(() => own?.stop());
  it('answers GET /%ZZ and other broken targets with a 4xx and keeps serving', async () => {
    const targets = [
      '/%ZZ',
      '/%',
      '/%E0%A4%A',
      '/assets/%ZZ.js',
      '/%ZZ?x=1',
      '/trpc/%ZZ',
      '/trpc/lot.get?input=%ZZ',
      '/trpc/lot.get?batch=1&input=%7B',
      '/%C0%AE%C0%AE/secret.txt',
    ];
    for (const target of targets) {
      const res = await raw(own.url, target);
      expect({ target, status: res.status >= 400 && res.status < 500 }).toEqual({ target, status: true });
      expect(own.process.exitCode).toBeNull();
      expect((await raw(own.url, '/healthz')).status).toBe(200);
    }
  });
});
