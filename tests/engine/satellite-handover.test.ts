import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeaseGrant } from '../../electron/core/leases/rules';
import { createHandover } from '../../electron/satellite/handover';
import { createHubClient, HubUnreachable, type RelayedRequest } from '../../electron/satellite/hub-client';
import { Journal } from '../../electron/satellite/journal';
import { journalToken, journalTokenBooking, newTokenSecret } from '../../electron/satellite/local-router';
import { createSatelliteRuntime, HUB_LINK_FILE, SatelliteSetupError } from '../../electron/satellite/runtime';

/**
 * A satellite's screen across the heal (issue 14): a sale it showed from the journal is the
 * hub's once replayed, and the satellite speaks for the screen with the hub's id and token.
 */
const T0 = Date.parse('2026-01-15T14:00:00.000Z');
const grant: LeaseGrant = {
  hubNow: new Date(T0).toISOString(),
  expiresAt: new Date(T0 + 60_000).toISOString(),
  renewMs: 5_000,
  skewMs: 10_000,
  slots: [{ slotId: 1, lotId: 1, label: 'A1', vehicleType: 'car', currency: 'INR', stayMinutes: 60, price: 6000 }],
};
let journal: Journal | undefined;
afterEach(() => journal?.close());
const dir = () => mkdtempSync(join(tmpdir(), 'kiosk-handover-'));
const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

function setUp(hubAnswer: (globalId: string) => Promise<unknown>) {
  journal = new Journal(join(dir(), 'journal.db'));
  journal.storeLeases(grant, T0);
  const sale = journal.sell({ slotId: 1, vehicleNumber: 'KA01H2' }, T0 + 1_000);
  const tokenSecret = newTokenSecret();
  const asked: string[] = [];
  let clock = T0;
  const { decide, forJournal } = createHandover({
    journal,
    tokenSecret,
    now: () => clock,
    hub: {
      query: (<T>(path: string, input: unknown) => {
        asked.push(path);
        return hubAnswer((input as { globalId: string }).globalId) as Promise<T>;
      }) as never,
    },
  });
  const replayed = (bookingId: number) => {
    const [event] = journal!.pendingEvents();
    journal!.acknowledge([{ eventId: event!.eventId, result: 'applied', repeat: false, bookingId }], T0 + 2_000);
  };
  return { sale, token: journalToken(tokenSecret, sale.globalId), decide, forJournal, replayed, asked, later: (ms: number) => (clock += ms) };
}

describe('a satellite screen handed over to the hub', () => {
  it('answers from the journal until the hub has the sale, then relays with the hub’s id and token', async () => {
    const { sale, token, decide, replayed, asked } = setUp(async () => ({ bookingId: 41, accessToken: 'bk_41_x_hubtoken' }));
    const get = `/trpc/booking.get?input=${encodeURIComponent(JSON.stringify({ id: sale.globalId }))}`;
    expect(await decide(request(get, { authorization: `Bearer ${token}` }), Buffer.alloc(0))).toEqual({ kind: 'journal', hubUnreachable: false });
    expect(asked).toEqual([]);
    replayed(41);
    const relayed = await decide(request(get, { authorization: `Bearer ${token}` }), Buffer.alloc(0));
    expect(relayed).toMatchObject({ kind: 'rewritten', request: { authorization: 'Bearer bk_41_x_hubtoken' } });
    const url = new URL((relayed as { request: { url: string } }).request.url, 'http://x');
    expect(url.pathname).toBe('/trpc/booking.get');
    expect(JSON.parse(url.searchParams.get('input')!)).toEqual({ id: 41 });
    // A live stream carries its token in connectionParams (EventSource has no headers).
    const watch = `/trpc/booking.watch?connectionParams=${encodeURIComponent(JSON.stringify({ token }))}&input=${encodeURIComponent(JSON.stringify({ id: sale.globalId }))}`;
    const stream = (await decide(request(watch), Buffer.alloc(0))) as { kind: string; request: { url: string; authorization?: string } };
    const streamUrl = new URL(stream.request.url, 'http://x');
    expect(JSON.parse(streamUrl.searchParams.get('connectionParams')!)).toEqual({ token: 'bk_41_x_hubtoken' });
    expect(JSON.parse(streamUrl.searchParams.get('input')!)).toEqual({ id: 41 });
    expect(stream.request.authorization).toBeUndefined();
    // A mutation names it in its body; a call already by the hub's id only changes its token.
    const cancel = (await decide(
      request('/trpc/booking.cancel', { authorization: `Bearer ${token}` }),
      Buffer.from(JSON.stringify({ id: sale.globalId })),
    )) as {
      request: { body: Buffer };
    };
    expect(JSON.parse(cancel.request.body.toString())).toEqual({ id: 41 });
    const byHubId = (await decide(request('/trpc/receipt.get?input=%7B%22bookingId%22%3A41%7D', { authorization: `Bearer ${token}` }), Buffer.alloc(0))) as {
      request: { url: string; authorization: string };
    };
    expect(byHubId.request.authorization).toBe('Bearer bk_41_x_hubtoken');
    expect(byHubId.request.url).toContain('%22bookingId%22%3A41');
    // The hub's answer is asked once, then kept.
    expect(asked).toEqual(['hub.bookingAccess']);
  });

  it('asks the hub once a minute however many calls want it, and names the sale back for the journal when the hub goes again', async () => {
    const { sale, token, decide, forJournal, replayed, asked, later } = setUp(async () => ({ bookingId: 41, accessToken: 'bk_41_x_hubtoken' }));
    const byGlobal = request(`/trpc/booking.get?input=${encodeURIComponent(JSON.stringify({ id: sale.globalId }))}`, { authorization: `Bearer ${token}` });
    const byHub = request('/trpc/booking.get?input=%7B%22id%22%3A41%7D', { authorization: `Bearer ${token}` });
    // Before the replay the journal answers by the global id as it is.
    expect(forJournal(byHub, Buffer.alloc(0))).toBeUndefined();
    replayed(41);
    await Promise.all([decide(byGlobal, Buffer.alloc(0)), decide(byGlobal, Buffer.alloc(0)), decide(byHub, Buffer.alloc(0))]);
    expect(asked).toEqual(['hub.bookingAccess']);
    later(61_000);
    await decide(byGlobal, Buffer.alloc(0));
    expect(asked).toEqual(['hub.bookingAccess', 'hub.bookingAccess']);
    // The hub gone again: a screen on the hub's id is answered by the journal under the global id.
    const local = forJournal(byHub, Buffer.alloc(0))!;
    expect(JSON.parse(new URL(local.url, 'http://x').searchParams.get('input')!)).toEqual({ id: sale.globalId });
    const cancel = forJournal(request('/trpc/booking.cancel', { authorization: `Bearer ${token}` }), Buffer.from('{"id":41}'))!;
    expect(JSON.parse(cancel.body.toString())).toEqual({ id: sale.globalId });
    // Another booking's hub id is not renamed (the token names this sale only).
    const other = forJournal(request('/trpc/booking.get?input=%7B%22id%22%3A42%7D', { authorization: `Bearer ${token}` }), Buffer.alloc(0))!;
    expect(JSON.parse(new URL(other.url, 'http://x').searchParams.get('input')!)).toEqual({ id: 42 });
  });

  it('keeps the path as it came, and the hub client relays only to the hub', async () => {
    const { sale, token, decide, replayed } = setUp(async () => ({ bookingId: 41, accessToken: 'bk_41_x' }));
    replayed(41);
    const sneaky = (await decide(
      request(`/trpc/..//evil.example/x?input=${encodeURIComponent(JSON.stringify({ id: sale.globalId }))}`, { authorization: `Bearer ${token}` }),
      Buffer.alloc(0),
    )) as {
      request: RelayedRequest;
    };
    expect(sneaky.request.url.startsWith('/trpc/..//evil.example/x?')).toBe(true);
    // Whatever path reaches the hub client, it sends nothing to another origin.
    let reached = 0;
    const hubServer = createServer((_req, res) => {
      reached += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => hubServer.listen(0, '127.0.0.1', resolve));
    const hubPort = (hubServer.address() as AddressInfo).port;
    const hub = createHubClient({ url: `http://127.0.0.1:${hubPort}`, credential: 'c'.repeat(43) });
    const front = createServer(
      (req, res) => void hub.forward(req, Buffer.alloc(0), res, { url: '//evil.example/x', authorization: undefined, body: Buffer.alloc(0) }),
    );
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await fetch(`http://127.0.0.1:${(front.address() as AddressInfo).port}/trpc/booking.get`);
      expect(answer.status).toBe(400);
      expect(reached).toBe(0);
    } finally {
      front.close();
      hubServer.close();
    }
  });

  it('relays calls that are not a journal booking’s as they are, forged tokens included', async () => {
    const { sale, decide } = setUp(async () => ({ bookingId: 41, accessToken: 'bk' }));
    const input = encodeURIComponent(JSON.stringify({ id: sale.globalId }));
    expect(await decide(request(`/trpc/booking.get?input=${input}`), Buffer.alloc(0))).toEqual({ kind: 'relay' });
    const forged = journalToken(newTokenSecret(), sale.globalId);
    expect(await decide(request(`/trpc/booking.get?input=${input}`, { authorization: `Bearer ${forged}` }), Buffer.alloc(0))).toEqual({ kind: 'relay' });
    expect(await decide(request('/trpc/booking.get?input=%7B%22id%22%3A3%7D', { authorization: 'Bearer bk_3_a_b' }), Buffer.alloc(0))).toEqual({
      kind: 'relay',
    });
    expect(journalTokenBooking(newTokenSecret(), 'sb_not-a-token')).toBeNull();
  });

  it('keeps answering from the journal when the hub lost the sale or cannot be reached', async () => {
    let answer: () => Promise<unknown> = () => Promise.reject(Object.assign(new Error('This kiosk did not sell that booking.'), { code: 'NOT_FOUND' }));
    const { sale, token, decide, replayed } = setUp(() => answer());
    replayed(7);
    const get = request(`/trpc/booking.get?input=${encodeURIComponent(JSON.stringify({ id: sale.globalId }))}`, { authorization: `Bearer ${token}` });
    expect(await decide(get, Buffer.alloc(0))).toEqual({ kind: 'journal', hubUnreachable: false });
    answer = () => Promise.reject(new HubUnreachable('no answer'));
    expect(await decide(get, Buffer.alloc(0))).toEqual({ kind: 'journal', hubUnreachable: true });
    // Malformed input is passed on as it came, for the hub to refuse.
    answer = async () => ({ bookingId: 7, accessToken: 'bk_7' });
    const odd = (await decide(request('/trpc/booking.cancel', { authorization: `Bearer ${token}` }), Buffer.from('{not json'))) as {
      request: { body: Buffer };
    };
    expect(odd.request.body.toString()).toBe('{not json');
  });
});

describe('where a satellite is', () => {
  it('knows where each of its sales is kept: the journal, the hub, or neither', () => {
    journal = new Journal(join(dir(), 'journal.db'));
    journal.storeLeases(grant, T0);
    const sale = journal.sell({ slotId: 1, vehicleNumber: 'KA01H3' }, T0 + 1_000);
    expect(journal.whereIs(sale.globalId)).toEqual({ at: 'journal' });
    const [event] = journal.pendingEvents();
    journal.acknowledge([{ eventId: event!.eventId, result: 'refused', repeat: false, reason: 'SLOT_TAKEN' }], T0 + 2_000);
    expect(journal.whereIs(sale.globalId)).toEqual({ at: 'journal' });
    expect(journal.whereIs('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('refuses to reach a hub on the network in clear text, to listen beyond this machine, and to answer under another name', async () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, HUB_LINK_FILE), JSON.stringify({ credential: 'c'.repeat(43) }));
    expect(() => createSatelliteRuntime({ dataDir, hubUrl: 'http://192.168.1.20:4780' })).toThrow(SatelliteSetupError);
    expect(() => createSatelliteRuntime({ dataDir, hubUrl: 'ftp://192.168.1.20' })).toThrow(/clear text/);
    expect(() => createSatelliteRuntime({ dataDir, hubUrl: 'not a url' })).toThrow(/not a hub address/);
    // On this machine plain HTTP is allowed (a hub and a satellite on one box, tests).
    const local = createSatelliteRuntime({ dataDir, hubUrl: 'http://127.0.0.1:1', log: () => undefined });
    try {
      await expect(local.listen(0, '0.0.0.0')).rejects.toThrow(SatelliteSetupError);
      await expect(local.listen(0, '192.168.1.20')).rejects.toThrow(/loopback/);
      const port = await local.listen(0, '127.0.0.1');
      // Reached under another name (DNS rebinding), it does not answer as the kiosk's screen.
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path: '/trpc/link.status', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await status('evil.example')).toBe(421);
      expect(await status(`127.0.0.1:${port}`)).toBe(200);
    } finally {
      await local.close();
    }
  });
});
