import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createApiContext } from '../../electron/api/context';
import { fullRouter } from '../../electron/api/router';
import { createFastTrpcHandler } from '../../electron/server/trpc-fast';
import { bootTestKiosk, type TestKiosk } from '../support/core';

/**
 * The fast adapter must answer exactly as tRPC's standalone adapter does. Two identical
 * kiosks (same seed, same fixed clock), one behind each adapter, get the same requests in the
 * same order; status, content type and JSON body must match (random references and tokens
 * aside).
 */
const LIMITS = { maxBodySize: 2_000, maxBatchSize: 4 };

interface Side {
  kiosk: TestKiosk;
  server: Server;
  port: number;
  staff: string;
  booking: string;
  fastCalls: number;
}

const context = (kiosk: TestKiosk) => (req: IncomingMessage) =>
  createApiContext({ core: kiosk.core, testClock: kiosk.clock }, bearerToken(req.headers.authorization), req.socket.remoteAddress ?? 'unknown', 'network');

async function side(fast: boolean): Promise<Side> {
  const kiosk = bootTestKiosk({ staffPin: '482916' });
  const createContext = context(kiosk);
  const standalone = createHTTPHandler({ router: fullRouter, basePath: '/trpc/', createContext: ({ req }) => createContext(req), ...LIMITS });
  const state = { fastCalls: 0 };
  const handler = fast
    ? createFastTrpcHandler({
        router: fullRouter,
        createContext,
        ...LIMITS,
        fallback: (req, res) => {
          state.fastCalls -= 1;
          standalone(req, res);
        },
      })
    : standalone;
  const server = createServer((req, res) => {
    state.fastCalls += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const anon = kiosk.caller();
  const first = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
  await anon.booking.create({ slotId: 2, vehicleNumber: 'KL08AZ5678', bookingType: 'instant' });
  const result: Side = {
    kiosk,
    server,
    port: (server.address() as AddressInfo).port,
    staff: await kiosk.staffToken('482916'),
    booking: first.accessToken,
    fastCalls: 0,
  };
  Object.defineProperty(result, 'fastCalls', { get: () => state.fastCalls });
  return result;
}

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string | null;
  token?: 'staff' | 'booking' | 'bogus';
  /** False when the fast path is expected to hand the request to the standalone adapter. */
  fast?: boolean;
  /** tRPC answers a request-level error (not a call's) as text/plain; the fast path says application/json. */
  plainTextInStandalone?: boolean;
}

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const CASES: Case[] = [
  { name: 'query, no input', method: 'GET', path: 'lot.list' },
  { name: 'query with input', method: 'GET', path: `slot.list?input=${q({ lotId: 1 })}` },
  { name: 'query, booking token', method: 'GET', path: `booking.get?input=${q({ id: 1 })}`, token: 'booking' },
  { name: 'query, other booking', method: 'GET', path: `booking.get?input=${q({ id: 2 })}`, token: 'booking' },
  { name: 'UNAUTHORIZED', method: 'GET', path: `booking.get?input=${q({ id: 1 })}` },
  { name: 'staff-only, no token', method: 'GET', path: `booking.list?input=${q({})}` },
  { name: 'staff-only, bogus token', method: 'GET', path: `booking.list?input=${q({})}`, token: 'bogus' },
  { name: 'staff list', method: 'GET', path: `booking.list?input=${q({ limit: 5 })}`, token: 'staff' },
  { name: 'bad input (zod)', method: 'GET', path: `booking.get?input=${q({ id: 'x' })}`, token: 'staff' },
  { name: 'missing input', method: 'GET', path: 'booking.get', token: 'staff' },
  { name: 'malformed JSON in query', method: 'GET', path: 'booking.get?input=%7B%22id', token: 'staff' },
  { name: 'not found booking', method: 'GET', path: `booking.get?input=${q({ id: 999 })}`, token: 'staff' },
  { name: 'unknown procedure', method: 'GET', path: 'nope.nothing' },
  { name: 'prototype key as path', method: 'GET', path: 'constructor' },
  { name: 'router as path', method: 'GET', path: 'booking' },
  { name: 'query by POST', method: 'POST', path: 'booking.get', body: JSON.stringify({ id: 1 }), token: 'staff' },
  { name: 'mutation by GET', method: 'GET', path: `booking.create?input=${q({ slotId: 3, vehicleNumber: 'KL01AA1111', bookingType: 'instant' })}` },
  {
    name: 'domain error with reason',
    method: 'POST',
    path: 'booking.create',
    body: JSON.stringify({ slotId: 1, vehicleNumber: 'KL01AA1111', bookingType: 'instant' }),
  },
  { name: 'mutation ok', method: 'POST', path: 'booking.create', body: JSON.stringify({ slotId: 5, vehicleNumber: 'KL01AA2222', bookingType: 'instant' }) },
  {
    name: 'mutation, content-type with charset',
    method: 'POST',
    path: 'booking.cancel',
    body: JSON.stringify({ id: 3 }),
    contentType: 'Application/JSON; charset=utf-8',
    token: 'staff',
  },
  { name: 'precondition failed', method: 'POST', path: 'booking.cancel', body: JSON.stringify({ id: 3 }), token: 'staff' },
  { name: 'malformed JSON body', method: 'POST', path: 'booking.create', body: '{"slotId":' },
  { name: 'empty body', method: 'POST', path: 'booking.create', body: '' },
  {
    name: 'body too large',
    method: 'POST',
    path: 'booking.create',
    body: JSON.stringify({ slotId: 1, vehicleNumber: 'x'.repeat(3_000), bookingType: 'instant' }),
  },
  { name: 'strict input (extra key)', method: 'POST', path: 'auth.login', body: JSON.stringify({ pin: '482916', extra: 1 }) },
  { name: 'batched GET, mixed results (207)', method: 'GET', path: `slot.list,booking.get,nope?batch=1&input=${q({ 0: {}, 1: { id: 1 } })}`, token: 'booking' },
  { name: 'batched GET, all ok', method: 'GET', path: `lot.list,slot.list?batch=1&input=${q({ 1: { lotId: 1 } })}` },
  { name: 'batched GET, no input', method: 'GET', path: 'lot.list,lot.list?batch=1' },
  { name: 'batched GET, all same error', method: 'GET', path: `booking.get,booking.get?batch=1&input=${q({ 0: { id: 1 }, 1: { id: 2 } })}` },
  { name: 'batch input not an object', method: 'GET', path: `lot.get?batch=1&input=${q([1])}` },
  { name: 'batch too large', method: 'GET', path: 'lot.list,lot.list,lot.list,lot.list,lot.list?batch=1', plainTextInStandalone: true },
  { name: 'batched POST', method: 'POST', path: 'booking.cancel,booking.renew?batch=1', body: JSON.stringify({ 0: { id: 2 }, 1: { id: 1 } }), token: 'staff' },
  { name: 'batched POST, malformed JSON', method: 'POST', path: 'booking.cancel,booking.renew?batch=1', body: '{"0":', token: 'staff' },
  { name: 'batched unknown only', method: 'POST', path: 'a.b,c.d?batch=1', body: '{}' },
  // Handed to the standalone adapter: the answers still match.
  { name: 'mixed procedure types', method: 'GET', path: 'lot.list,booking.create?batch=1', fast: false },
  { name: 'wrong content type', method: 'POST', path: 'booking.create', body: 'x', contentType: 'text/plain', fast: false },
  { name: 'no content type', method: 'POST', path: 'booking.create', body: '{}', contentType: null, fast: false },
  { name: 'PUT', method: 'PUT', path: 'booking.create', body: '{}', fast: false },
  { name: 'bad escape in path', method: 'GET', path: 'booking.%zz', fast: false },
];

function send(s: Side, c: Case): Promise<{ status: number; type: string | undefined; body: unknown }> {
  const headers: Record<string, string> = {};
  if (c.token) headers.authorization = `Bearer ${c.token === 'staff' ? s.staff : c.token === 'booking' ? s.booking : 'st_bogus'}`;
  if (c.body !== undefined && c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, method: c.method, path: `/trpc/${c.path}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode!,
          type: res.headers['content-type'],
          body: JSON.parse(text, (key, value) => (['reference', 'accessToken', 'token'].includes(key) ? '<random>' : value)),
        });
      });
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

let standalone: Side;
let fast: Side;
beforeAll(async () => {
  standalone = await side(false);
  fast = await side(true);
});
afterAll(async () => {
  for (const s of [standalone, fast]) {
    await new Promise((resolve) => s?.server.close(resolve));
    s?.kiosk.close();
  }
});

describe('the fast tRPC adapter answers as the standalone adapter does', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = fast.fastCalls;
    const [expected, actual] = [await send(standalone, c), await send(fast, c)];
    if (c.plainTextInStandalone) {
      expect(expected.type).toMatch(/^text\/plain/);
      expected.type = 'application/json';
    }
    expect(actual).toEqual(expected);
    expect(fast.fastCalls - before).toBe(c.fast === false ? 0 : 1);
  });

  it('covers success, every error family and a 207 in the cases above', async () => {
    const statuses = new Set<number>();
    for (const c of CASES.filter((x) => x.method === 'GET' && x.fast !== false)) statuses.add((await send(fast, c)).status);
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 207, 400, 401, 404, 405]));
  });
});
