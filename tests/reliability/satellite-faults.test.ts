import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LinkStatus } from '../../electron/core/leases/link-status';
import { journalToken } from '../../electron/satellite/local-router';
import { readHubLink, trpcCall } from '../../electron/satellite/pairing';
import { freePort, readHub, startTlsHub, stopAfterAll } from '../support/satellites';
import { startServer, tempDbFile, type RunningServer } from '../support/server';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { integrity, overlappingPairs, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';

/**
 * The hidden-state checks of the single-kiosk reliability tests, run against a satellite
 * (issue 14): the access checks through the satellite (on line it relays to the hub; off line
 * it answers from its journal), races on its leased slots while the hub is out of reach, and
 * SIGKILL in the middle of a stream of its offline sales and cancels. The hub serves HTTPS only
 * and the satellite pairs with a one-time code, as at a lot; the proxy between them carries TLS. After healing, the hub
 * holds every sale the satellite acknowledged exactly once, in the state the driver was told.
 */
const ROUNDS = Number(process.env.RELIABILITY_SATELLITE_KILL_ROUNDS ?? 5);
const LEASED = 6;
const { started, proxies } = stopAfterAll();

const status = (sat: RunningServer) => sat.client().link.status.query() as Promise<LinkStatus>;
const errorOf = (error: unknown) => {
  const data = (error as { data?: { code?: string; reason?: string } }).data;
  return `${data?.code ?? 'NO_CODE'}${data?.reason ? `/${data.reason}` : ''}`;
};
const attempt = async <T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> => {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: errorOf(error) };
  }
};

/** A raw tRPC call over HTTP, as an attacker on the lot's network would make it. */
async function raw(url: string, path: string, input: unknown, headers: Record<string, string> = {}, call: typeof fetch = fetch) {
  const res = await call(`${url}/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
  const body = (await res.json().catch(() => ({}))) as { error?: { data?: { code?: string } } };
  return { status: res.status, code: body.error?.data?.code ?? null };
}

interface Sale {
  globalId: string;
  reference: string;
  slotId: number;
  vehicleNumber: string;
  accessToken: string;
  price: number;
}

describe('a satellite under the reliability checks (issue 14)', () => {
  it(`keeps access rules, wins no race twice and loses no acknowledged sale over ${ROUNDS} SIGKILLs off line; the hub then holds each sale once`, async () => {
    const t0 = Date.now();
    const dbFile = tempDbFile('hub');
    const port = await freePort();
    // A hub as it runs at a lot: HTTPS only, its own certificate; the satellite pairs with a code.
    const { hub, call: hubFetch } = await startTlsHub({ dbFile, port });
    started.push(hub);
    // More leased slots than the default 2, so the stream below has room; read at the next renewal.
    const db = new Database(dbFile);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('lease_settings', ?)").run(
        JSON.stringify({ slotsPerSatellite: LEASED, leaseMs: 600_000, renewMs: 2_000, skewMs: 10_000 }),
      );
    } finally {
      db.close();
    }
    const proxy = await startTcpProxy(port);
    proxies.push(proxy);
    // TLS end to end through the proxy: it sees only ciphertext.
    const hubViaProxy = proxy.url.replace('http://', 'https://');
    const { token: ownerToken } = (await trpcCall(hubFetch, hub.url, 'auth.login', 'POST', { pin: '482916' })) as { token: string };
    const issued = await hubFetch(`${hub.url}/trpc/satellite.createCode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
      body: 'null',
    });
    const { code } = ((await issued.json()) as { result: { data: { code: string } } }).result.data;
    const satDir = mkdtempSync(join(tmpdir(), 'sat-faults-sat-'));
    const satEnv = { KIOSK_HUB_TIMEOUT_MS: '1000', KIOSK_HUB_HOST: `127.0.0.1:${port}` };
    const satArgs = ['--role', 'satellite', '--data', satDir];
    // Paired once at the hub's own address (its Host check knows it), then run through the proxy.
    const pairing = await startServer({
      demo: false,
      dbFile: join(satDir, 'unused.db'),
      args: [...satArgs, '--hub', hub.url, '--pair', code, '--name', 'Gate A'],
    });
    await pairing.stop();
    const restartSatellite = async () => {
      const server = await startServer({ demo: false, dbFile: join(satDir, 'unused.db'), args: [...satArgs, '--hub', hubViaProxy], env: satEnv });
      started.push(server);
      return server;
    };
    let sat = await restartSatellite();
    const journalFile = join(satDir, 'journal.db');
    const online = await waitFor(async () => ((s) => s.state === 'online' && s.leasedSlotIds.length === LEASED && s)(await status(sat)), {
      what: `the satellite on line with ${LEASED} leases`,
      timeout: 60_000,
    });
    const leased = [...online.leasedSlotIds].sort((x, y) => x - y);

    // ── Access, on line: calls are the hub's, under the hub's rules.
    expect(
      errorOf(
        await sat
          .client()
          .booking.list.query({})
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');
    const staffToken = (await sat.client().auth.login.mutate({ pin: '482916' })).token;
    expect(await sat.client(staffToken).booking.list.query({})).toBeDefined();
    // The satellite's own procedures are never reachable through it, whatever the caller sends:
    // a forged replay would otherwise be taken as this satellite's offline sale.
    const forged = {
      events: [
        {
          kind: 'book',
          eventId: '11111111-1111-4111-8111-111111111111',
          globalId: '22222222-2222-4222-8222-222222222222',
          slotId: leased[0],
          reference: 'PK-FORGED1',
          vehicleNumber: 'KA01XX0001',
          startTime: new Date().toISOString(),
          endTime: new Date(Date.now() + 3_600_000).toISOString(),
          price: 0,
          at: new Date().toISOString(),
        },
      ],
    };
    // Spelled the way a hub decodes it, too: percent-encoded, or hidden in a batch.
    for (const path of ['hub.replay', 'hub.lease', 'hub.release', '%68ub.replay', 'slot.list%2Chub.replay']) {
      expect(await raw(sat.url, path, path.endsWith('replay') ? forged : { report: { journalBacklog: 0 } })).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      // Straight at the hub with a made-up relay mark or no credential: refused too.
      expect((await raw(hub.url, path, forged, { 'x-kiosk-relayed': 'screen' }, hubFetch)).code).toMatch(/UNAUTHORIZED|FORBIDDEN|BAD_REQUEST|NOT_FOUND/);
    }
    // The hub's own check, behind the satellite's: the real credential on a call marked as relayed is refused.
    const { credential } = readHubLink(satDir)!;
    const asRelayed = await raw(hub.url, 'hub.replay', forged, { 'x-kiosk-satellite': credential, 'x-kiosk-relayed': 'screen' }, hubFetch);
    expect(asRelayed).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(readHub(dbFile, (hubDb) => hubDb.prepare("SELECT count(*) AS n FROM bookings WHERE reference = 'PK-FORGED1'").get())).toEqual({ n: 0 });

    // ── Off line (the link black-holed): the satellite answers from its journal.
    proxy.set('blackhole');
    await waitFor(async () => (await status(sat)).state === 'offline-leases', { what: 'the satellite off line on leases' });
    const staffOffline = await attempt(() => sat.client(staffToken).booking.list.query({}));
    expect(staffOffline).toEqual({ ok: false, error: 'SERVICE_UNAVAILABLE/HUB_UNREACHABLE' });
    expect(await raw(sat.url, 'hub.replay', forged)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    // Malformed input: typed refusals, and the process stays up.
    for (const input of [
      {},
      { slotId: 'one', vehicleNumber: 'KA01AB1234' },
      { slotId: leased[0], vehicleNumber: '' },
      { slotId: -1, vehicleNumber: 'x'.repeat(5000) },
    ]) {
      expect(await raw(sat.url, 'booking.create', input)).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(
      (await fetch(`${sat.url}/trpc/booking.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"slotId":' })).status,
    ).toBe(400);

    const acked = new Map<string, Sale>();
    const cancelled = new Set<string>();
    let plateNo = 0;
    const sell = (slotId: number) =>
      attempt(
        () =>
          sat.client().booking.create.mutate({
            slotId,
            vehicleNumber: `KA02SF${String(++plateNo).padStart(4, '0')}`,
            bookingType: 'instant',
          }) as unknown as Promise<Sale>,
      );

    // ── Races off line: 20 drivers at once for one leased slot → exactly one sale.
    const contested = await Promise.all(Array.from({ length: 20 }, () => sell(leased[0]!)));
    const wins = contested.filter((r) => r.ok);
    expect(wins).toHaveLength(1);
    expect(new Set(contested.filter((r) => !r.ok).map((r) => (r as { error: string }).error))).toEqual(new Set(['CONFLICT/SLOT_TAKEN']));
    const first = (wins[0] as { value: Sale }).value;
    acked.set(first.globalId, first);
    // One plate on two slots at once → one sale.
    const samePlate = await Promise.all(
      leased
        .slice(1, 3)
        .map((slotId) =>
          attempt(() => sat.client().booking.create.mutate({ slotId, vehicleNumber: 'KA02SF9999', bookingType: 'instant' }) as unknown as Promise<Sale>),
        ),
    );
    expect(samePlate.filter((r) => r.ok)).toHaveLength(1);
    const plateWin = (samePlate.find((r) => r.ok) as { value: Sale }).value;
    acked.set(plateWin.globalId, plateWin);
    // Ten cancels of one sale at once → one cancel.
    const cancels = await Promise.all(
      Array.from({ length: 10 }, () => attempt(() => sat.client(plateWin.accessToken).booking.cancel.mutate({ id: plateWin.globalId as never }))),
    );
    expect(cancels.filter((r) => r.ok)).toHaveLength(1);
    cancelled.add(plateWin.globalId);
    // Another sale's token, or none, opens nothing.
    expect(
      errorOf(
        await sat
          .client(first.accessToken)
          .booking.cancel.mutate({ id: plateWin.globalId as never })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');
    expect(
      errorOf(
        await sat
          .client()
          .booking.get.query({ id: first.globalId as never })
          .catch((e: unknown) => e),
      ),
    ).toBe('UNAUTHORIZED');

    // ── Power loss: SIGKILL while 4 drivers sell and cancel on the leased slots.
    const free = () => leased.slice(1);
    let unexpected: string[] = [];
    let attempts = 0;
    let unansweredCancels = 0;
    let unansweredSales = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // Drivers of the sales still standing from the last round (told "booked", never cancelled
      // because the kiosk died first) cancel them now, on the restarted kiosk, so the slots sell again.
      for (const sale of [...acked.values()].filter((s) => s.slotId !== leased[0] && !cancelled.has(s.globalId))) {
        const cancel = await attempt(() => sat.client(sale.accessToken).booking.cancel.mutate({ id: sale.globalId as never }));
        // A cancel the kiosk stored just before it died, whose answer never reached the driver.
        if (!cancel.ok) {
          expect(cancel.error).toBe('PRECONDITION_FAILED');
          expect(await sat.client(sale.accessToken).booking.get.query({ id: sale.globalId as never })).toMatchObject({ status: 'cancelled' });
          unansweredCancels += 1;
        }
        cancelled.add(sale.globalId);
      }
      // Sales the journal stored just before the kiosk died, whose answer never reached a driver:
      // found by the journal, cancelled with their ticket token (made as the kiosk makes it), so
      // they do not hold the slots for the rest of the test. They are real sales: the hub gets them too.
      const secret = readFileSync(join(satDir, 'token-secret'));
      const unanswered = withDb(journalFile, (journal) =>
        (journal.prepare("SELECT global_id AS id FROM bookings WHERE status = 'booked'").all() as { id: string }[]).map((row) => row.id),
      ).filter((id) => !acked.has(id));
      for (const id of unanswered) {
        await sat.client(journalToken(secret, id)).booking.cancel.mutate({ id: id as never });
        unansweredSales += 1;
      }
      let killed = false;
      const stream = Array.from({ length: 4 }, async (_, worker) => {
        let i = worker;
        while (!killed) {
          const slotId = free()[i++ % free().length]!;
          attempts += 1;
          const sale = await sell(slotId);
          if (killed) return;
          if (!sale.ok) {
            if (!/SLOT_TAKEN|VEHICLE_BUSY/.test(sale.error) && !killed) unexpected.push(`create → ${sale.error}`);
            continue;
          }
          acked.set(sale.value.globalId, sale.value);
          // Most drivers change their mind at once, so the slots keep selling; every seventh stays.
          if (plateNo % 7 === 0) continue;
          const cancel = await attempt(() => sat.client(sale.value.accessToken).booking.cancel.mutate({ id: sale.value.globalId as never }));
          if (cancel.ok) cancelled.add(sale.value.globalId);
          else if (!killed) unexpected.push(`cancel → ${cancel.error}`);
        }
      });
      const before = acked.size;
      await waitFor(() => acked.size >= before + 6, { what: `round ${round}: sales before the kill`, timeout: 60_000 }).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; refusals meanwhile: ${unexpected.slice(-4).join(' | ') || 'none'}`);
      });
      killed = true;
      await sat.stop('SIGKILL');
      await Promise.all(stream);
      // The journal survived whole: every acknowledged sale and cancel is in it.
      withDb(journalFile, (journal) => {
        expect(integrity(journal)).toBe('ok');
        const rows = new Map(
          (journal.prepare('SELECT global_id AS id, status FROM bookings').all() as { id: string; status: string }[]).map((row) => [row.id, row.status]),
        );
        for (const id of acked.keys()) expect(rows.has(id), `acknowledged sale ${id} in the journal`).toBe(true);
        for (const id of cancelled) expect(rows.get(id), `acknowledged cancel of ${id}`).toBe('cancelled');
        const events = journal.prepare("SELECT count(*) AS n FROM events WHERE json_extract(body, '$.kind') = 'book'").get() as { n: number };
        expect(events.n).toBe(rows.size);
        // Never two live sales on one slot in the journal.
        const overlapping = journal
          .prepare(
            `SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.slot_id = b.slot_id AND a.global_id < b.global_id
              WHERE a.status = 'booked' AND b.status = 'booked' AND a.start_ms < b.end_ms AND b.start_ms < a.end_ms`,
          )
          .get() as { n: number };
        expect(overlapping.n).toBe(0);
      });
      sat = await restartSatellite();
      await waitFor(async () => (await status(sat)).state === 'offline-leases', { what: `round ${round}: back off line on its leases` });
      // A driver who was told "booked" finds the booking again on the restarted kiosk.
      const last = [...acked.values()].at(-1)!;
      expect(await sat.client(last.accessToken).booking.get.query({ id: last.globalId as never })).toMatchObject({ reference: last.reference });
    }
    expect(unexpected).toEqual([]);
    unexpected = [];
    // A cancel the last kill cut short may have been stored without its answer: the journal says.
    const journalStatus = new Map(
      withDb(journalFile, (journal) => journal.prepare('SELECT global_id AS id, status FROM bookings').all() as { id: string; status: string }[]).map((row) => [
        row.id,
        row.status,
      ]),
    );
    for (const id of acked.keys()) {
      if (!cancelled.has(id) && journalStatus.get(id) === 'cancelled') {
        cancelled.add(id);
        unansweredCancels += 1;
      }
    }

    // ── Heal: the journal replays once; the hub holds every acknowledged sale exactly once.
    proxy.set('pass');
    await waitFor(async () => ((s) => s.state === 'online' && s.journalBacklog === 0)(await status(sat)), { what: 'replayed and on line', timeout: 60_000 });
    const atHub = readHub(dbFile, (hubDb) =>
      (
        hubDb.prepare('SELECT global_id AS id, status, price FROM bookings WHERE global_id IS NOT NULL').all() as {
          id: string;
          status: string;
          price: number;
        }[]
      ).reduce((map, row) => map.set(row.id, [...(map.get(row.id) ?? []), row]), new Map<string, { status: string; price: number }[]>()),
    );
    for (const [id, sale] of acked) {
      const rows = atHub.get(id) ?? [];
      expect(rows, `sale ${sale.reference} at the hub`).toHaveLength(1);
      expect(rows[0]!.status).toBe(cancelled.has(id) ? 'cancelled' : 'booked');
      expect(rows[0]!.price).toBe(sale.price);
    }
    withDb(dbFile, (hubDb) => {
      expect(integrity(hubDb)).toBe('ok');
      expect(overlappingPairs(hubDb)).toBe(0);
    });
    recordFigures('satellite-faults', {
      kills: ROUNDS,
      attempts,
      acknowledgedSales: acked.size,
      acknowledgedCancels: cancelled.size,
      storedButUnanswered: unansweredCancels,
      salesStoredButUnanswered: unansweredSales,
      lost: 0,
      duplicated: 0,
      overlaps: 0,
      totalMs: Date.now() - t0,
    });
  }, 300_000);
});
