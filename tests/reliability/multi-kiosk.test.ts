import { describe, expect, it } from 'vitest';
import type { LinkStatus } from '../../electron/core/leases/link-status';
import { killGroup } from '../support/processes';
import { freePort, pairSatellite, readHub, startSatellite, startTlsHub, stopAfterAll } from '../support/satellites';
import { tempDbFile, type RunningServer } from '../support/server';
import { startTcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';
import { recordFigures } from './support/figures';

/**
 * Issue 14 on one machine: a hub and two satellites as real processes (`npm run serve` in its
 * two roles, each its own process group), a TCP proxy between each satellite and the hub.
 * Partition, sale on a lease only, heal, replay exactly once; SIGSTOP/SIGCONT and SIGKILL of a
 * satellite and of the hub.
 */
const { started, proxies } = stopAfterAll();

const status = (sat: RunningServer) => sat.client().link.status.query() as Promise<LinkStatus>;
const reasonOf = (error: unknown) => (error as { data?: { reason?: string } }).data?.reason;
const bookingsByGlobalId = (dbFile: string, globalId: string) =>
  readHub(dbFile, (db) => (db.prepare('SELECT count(*) AS n FROM bookings WHERE global_id = ?').get(globalId) as { n: number }).n);

describe('several kiosks at one lot, as real processes (issue 14)', () => {
  it('partition → the satellite sells only its leased slots → heal → replayed exactly once; hub and satellite crashes and stops', async () => {
    const t0 = Date.now();
    const dbFile = tempDbFile('hub');
    // The hub comes back on the same port after a crash, as a hub at a lot would.
    const port = await freePort();
    const hubHost = `127.0.0.1:${port}`;
    // HTTPS only, as at a lot: each satellite pins the hub's certificate; the proxies carry ciphertext.
    const tlsHub = await startTlsHub({ dbFile, port });
    let hub = tlsHub.hub;
    started.push(hub);
    const hubPort = () => Number(new URL(hub.url).port);
    const proxyA = await startTcpProxy(hubPort());
    const proxyB = await startTcpProxy(hubPort());
    proxies.push(proxyA, proxyB);
    const hubViaA = proxyA.url.replace('http://', 'https://');
    const hubViaB = proxyB.url.replace('http://', 'https://');
    const a = pairSatellite(dbFile, 'entrance-a', hubViaA, tlsHub.pin);
    const b = pairSatellite(dbFile, 'entrance-b', hubViaB, tlsHub.pin);
    let satA = await startSatellite({ hubUrl: hubViaA, dataDir: a.dataDir, hubHost });
    const satB = await startSatellite({ hubUrl: hubViaB, dataDir: b.dataDir, hubHost });
    started.push(satA, satB);

    // On line: each satellite holds 2 leases; the hub shows those 4 slots as not available.
    const onA = await waitFor(async () => ((s) => s.state === 'online' && s.leasedSlotIds.length === 2 && s)(await status(satA)), {
      what: 'satellite A on line with 2 leases',
    });
    const onB = await waitFor(async () => ((s) => s.state === 'online' && s.leasedSlotIds.length === 2 && s)(await status(satB)), {
      what: 'satellite B on line with 2 leases',
    });
    expect(onA.leasedSlotIds.filter((id) => onB.leasedSlotIds.includes(id))).toEqual([]);
    expect(await hub.client().link.status.query()).toMatchObject({ role: 'hub', state: 'online' });
    const hubMap = await hub.client().slot.list.query({});
    for (const id of [...onA.leasedSlotIds, ...onB.leasedSlotIds]) expect(hubMap.find((s) => s.id === id)!.available).toBe(false);
    // The satellite's screen sees the hub's map (relayed) and books through the hub.
    const relayedMap = await satA.client().slot.list.query({});
    expect(relayedMap.length).toBe(hubMap.length);
    // The live map is relayed too (SSE through the satellite to the hub).
    const watched = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no slot.watch value through the satellite in 30 s')), 30_000);
      const sub = satA.client().slot.watch.subscribe(
        {},
        {
          onData: (value) => {
            clearTimeout(timer);
            sub.unsubscribe();
            resolve(value);
          },
          onError: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        },
      );
    });
    const watchedSlots = (Array.isArray(watched) ? watched : (watched as { data: unknown[] }).data) as unknown[];
    expect(watchedSlots.length).toBe(hubMap.length);
    const free = hubMap.find((s) => s.available)!;
    const viaA = await satA.client().booking.create.mutate({ slotId: free.id, vehicleNumber: 'KA01MK1001', bookingType: 'instant' });
    expect(readHub(dbFile, (db) => db.prepare('SELECT id FROM bookings WHERE id = ?').get(viaA.id))).toBeTruthy();
    // The hub's own screen cannot sell a leased slot.
    const hubRefusal = await hub
      .client()
      .booking.create.mutate({ slotId: onA.leasedSlotIds[0]!, vehicleNumber: 'KA01MK1002', bookingType: 'instant' })
      .catch((e: unknown) => e);
    expect(reasonOf(hubRefusal)).toBe('SLOT_LEASED');

    // Partition A (black hole: nothing answers). A goes off line on its leases.
    proxyA.set('blackhole');
    const detectStart = Date.now();
    await waitFor(async () => (await status(satA)).state === 'offline-leases', { what: 'A off line on leases' });
    const detectMs = Date.now() - detectStart;
    const offlineMap = (await satA.client().slot.list.query({})) as unknown as { id: number; available: boolean; unavailableReason: string | null }[];
    expect(
      offlineMap
        .filter((s) => s.available)
        .map((s) => s.id)
        .sort(),
    ).toEqual([...onA.leasedSlotIds].sort());
    expect(offlineMap.find((s) => !onA.leasedSlotIds.includes(s.id))!.unavailableReason).toBe('NOT_AT_THIS_KIOSK');
    const notHere = await satA
      .client()
      .booking.create.mutate({ slotId: free.id === onA.leasedSlotIds[0] ? 1 : free.id, vehicleNumber: 'KA01MK1003', bookingType: 'instant' })
      .catch((e: unknown) => e);
    expect(reasonOf(notHere)).toBe('NOT_AT_THIS_KIOSK');
    const sold = (await satA
      .client()
      .booking.create.mutate({ slotId: onA.leasedSlotIds[0]!, vehicleNumber: 'KA01MK1004', bookingType: 'instant' })) as unknown as {
      globalId: string;
      reference: string;
    };
    expect(sold.globalId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await status(satA)).journalBacklog).toBe(1);
    // B is unaffected and still books through the hub.
    expect((await status(satB)).state).toBe('online');

    // SIGKILL of A while it holds an unreplayed sale: the journal keeps it; A restarts by itself off line.
    await satA.stop('SIGKILL');
    satA = await startSatellite({ hubUrl: hubViaA, dataDir: a.dataDir, hubHost });
    started.push(satA);
    await waitFor(async () => ((s) => s.state === 'offline-leases' && s.journalBacklog === 1)(await status(satA)), {
      what: 'A back, still off line, sale kept',
    });

    // Leases run out (A's clock moves past them): out of service, find still works.
    await satA.client().clock.advance.mutate({ ms: 61_000 });
    expect((await status(satA)).state).toBe('out-of-service');
    const outOfService = await satA
      .client()
      .booking.create.mutate({ slotId: onA.leasedSlotIds[1]!, vehicleNumber: 'KA01MK1005', bookingType: 'instant' })
      .catch((e: unknown) => e);
    expect(reasonOf(outOfService)).toBe('KIOSK_OUT_OF_SERVICE');
    expect(await satA.client().booking.find.mutate({ reference: sold.reference, vehicleNumber: 'KA01MK1004' })).toMatchObject({ globalId: sold.globalId });

    // Heal: A replays its journal once and is on line again.
    proxyA.set('pass');
    const healStart = Date.now();
    await waitFor(async () => ((s) => s.state === 'online' && s.journalBacklog === 0)(await status(satA)), { what: 'A replayed and on line' });
    const healMs = Date.now() - healStart;
    expect(bookingsByGlobalId(dbFile, sold.globalId)).toBe(1);
    // More heartbeats, a dropped connection mid-way, a slow link: still exactly once.
    proxyA.set('delay', 300);
    proxyA.set('drop');
    proxyA.set('pass');
    await waitFor(async () => (await status(satA)).state === 'online', { what: 'A on line after drop' });
    expect(bookingsByGlobalId(dbFile, sold.globalId)).toBe(1);
    expect(readHub(dbFile, (db) => (db.prepare('SELECT count(*) AS n FROM satellite_replays').get() as { n: number }).n)).toBe(1);

    // SIGSTOP the hub: both satellites notice (calls time out) and sell on leases; SIGCONT: back on line.
    process.kill(hub.pid, 'SIGSTOP');
    try {
      await waitFor(async () => (await status(satB)).state !== 'online', { what: 'B notices the stopped hub' });
    } finally {
      process.kill(hub.pid, 'SIGCONT');
    }
    await waitFor(async () => (await status(satB)).state === 'online', { what: 'B on line after SIGCONT' });

    // SIGKILL the hub and start it again on the same database (another port): satellites resume by themselves.
    await hub.stop('SIGKILL');
    await waitFor(async () => (await status(satB)).state !== 'online', { what: 'B notices the dead hub' });
    hub = (await startTlsHub({ dbFile, port, hubDir: tlsHub.hubDir, demo: false })).hub;
    started.push(hub);
    proxyA.retarget(hubPort());
    proxyB.retarget(hubPort());
    await waitFor(async () => (await status(satA)).state === 'online' && (await status(satB)).state === 'online', {
      what: 'both back on line after the hub restart',
      timeout: 60_000,
    });
    expect(bookingsByGlobalId(dbFile, sold.globalId)).toBe(1);
    expect(readHub(dbFile, (db) => db.prepare('SELECT id FROM bookings WHERE id = ?').get(viaA.id))).toBeTruthy();

    // SIGSTOP/SIGCONT a satellite: the hub serves on; the satellite resumes.
    process.kill(satB.pid, 'SIGSTOP');
    try {
      expect((await hub.client().slot.list.query({})).length).toBe(hubMap.length);
    } finally {
      process.kill(satB.pid, 'SIGCONT');
    }
    await waitFor(async () => (await status(satB)).state === 'online', { what: 'B on line after its own SIGCONT' });

    for (const server of started.splice(0)) await server.stop();
    killGroup(hub.pid);
    recordFigures('multi-kiosk-processes', { satellites: 2, detectPartitionMs: detectMs, healToOnlineMs: healMs, replayedOnce: 1, totalMs: Date.now() - t0 });
  }, 240_000);
});
