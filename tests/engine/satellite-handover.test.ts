import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeaseGrant } from '../../electron/core/leases/rules';
import { createHandover } from '../../electron/satellite/handover';
import { HubUnreachable } from '../../electron/satellite/hub-client';
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
  const decide = createHandover({
    journal,
    tokenSecret,
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
  return { sale, token: journalToken(tokenSecret, sale.globalId), decide, replayed, asked };
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

  it('refuses to reach a hub on the network in clear text, and to serve its screen beyond this machine', async () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, HUB_LINK_FILE), JSON.stringify({ credential: 'c'.repeat(43) }));
    expect(() => createSatelliteRuntime({ dataDir, hubUrl: 'http://192.168.1.20:4780' })).toThrow(SatelliteSetupError);
    expect(() => createSatelliteRuntime({ dataDir, hubUrl: 'ftp://192.168.1.20' })).toThrow(/clear text/);
    expect(() => createSatelliteRuntime({ dataDir, hubUrl: 'not a url' })).toThrow(/not a hub address/);
    // On this machine plain HTTP is allowed (a hub and a satellite on one box, tests).
    const local = createSatelliteRuntime({ dataDir, hubUrl: 'http://127.0.0.1:1', log: () => undefined });
    await local.close();
  });
});
