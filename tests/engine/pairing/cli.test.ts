import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pinnedFetch } from '../../../electron/satellite/hub-tls';
import { HUB_FILE, readHubLink, trpcCall } from '../../../electron/satellite/pairing';
import { fingerprintOf } from '../../../electron/server/tls';
import { readFileSync } from 'node:fs';
import { startServer, type RunningServer } from '../../support/server';
import { waitFor } from '../../support/wait';

/** The real processes: `--role hub` serves HTTPS only; `--role satellite --pair CODE` pairs, then starts. */
const started: RunningServer[] = [];
afterAll(async () => {
  for (const server of started) await server.stop();
  for (const server of started) expect(() => process.kill(server.pid, 0)).toThrow();
});

describe('npm run serve -- --role hub / --role satellite --pair', () => {
  it('pairs a satellite from the command line with a code from the hub', async () => {
    const hubDir = mkdtempSync(join(tmpdir(), 'cli-hub-'));
    const hub = await startServer({ args: ['--role', 'hub', '--data', hubDir], testClock: false });
    started.push(hub);
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const certificate = readFileSync(join(hubDir, 'hub-tls.crt'), 'utf8');
    const fingerprint = fingerprintOf(certificate);
    // The fingerprint line follows the "listening" line; stdout may arrive in pieces.
    await waitFor(() => hub.output().includes('Hub address:'), { what: 'the hub to print its fingerprint' });
    expect(hub.output()).toContain(`Fingerprint:   SHA-256 ${fingerprint}`);
    const call = pinnedFetch({ fingerprint, certificate });
    const { token } = (await trpcCall(call, hub.url, 'auth.login', 'POST', { pin: '482916' })) as { token: string };
    const issued = (await (
      await call(`${hub.url}/trpc/satellite.createCode`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: 'null',
      })
    ).json()) as {
      result: { data: { code: string } };
    };
    const satDir = mkdtempSync(join(tmpdir(), 'cli-sat-'));
    const satellite = await startServer({
      args: ['--role', 'satellite', '--hub', hub.url, '--pair', issued.result.data.code, '--data', satDir, '--name', 'Gate B'],
      demo: false,
    });
    started.push(satellite);
    expect(satellite.output()).toContain(`Paired with the hub at ${hub.url} as "Gate B"`);
    const link = readHubLink(satDir)!;
    expect(link.fingerprint).toBe(fingerprint);
    expect(statSync(join(satDir, HUB_FILE)).mode & 0o777).toBe(0o600);
    await expect(trpcCall(call, hub.url, 'satellite.whoami', 'GET', undefined, link.credential)).resolves.toEqual({ id: link.satelliteId, name: 'Gate B' });

    // The paired satellite runs its own runtime and reaches the hub over the pinned TLS link:
    // it goes online, shows the hub's slot map, and the hub lists it with its report.
    const local = satellite.client();
    await waitFor(async () => (await local.link.status.query()).state === 'online', { what: 'the satellite to reach its hub over TLS', timeout: 60_000 });
    const hubSlots = (await trpcCall(call, hub.url, 'slot.list', 'GET', {})) as { id: number }[];
    expect(hubSlots.length).toBeGreaterThan(0);
    expect((await local.slot.list.query({})).map((slot) => slot.id)).toEqual(hubSlots.map((slot) => slot.id));
    const listed = await (await call(`${hub.url}/trpc/satellite.list`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(JSON.stringify(listed)).toContain('Gate B');

    // The same code again: refused, the satellite says why and stops, and stores nothing.
    const againDir = mkdtempSync(join(tmpdir(), 'cli-sat-again-'));
    await expect(
      startServer({ args: ['--role', 'satellite', '--hub', hub.url, '--pair', issued.result.data.code, '--data', againDir], demo: false }),
    ).rejects.toThrow(/exited with 1: Pairing failed: Pairing was refused/);
    expect(readHubLink(againDir)).toBeNull();
  });
});
