import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../electron/api/router';
import { HUB_LINK_FILE } from '../../electron/satellite/cli';
import { pinnedFetch, type HubPin } from '../../electron/satellite/hub-tls';
import { fingerprintOf } from '../../electron/server/tls';
import { afterAll } from 'vitest';
import { createClient, startServer, type RunningServer } from './server';
import type { TcpProxy } from './tcp-proxy';

/**
 * Pairs a satellite the short way (issue 14 tests; the real pairing code flow is the pairing
 * branch's): a satellites row in the hub's database, as registerSatellite writes it, and the
 * pairing file in a fresh data folder.
 */
export function pairSatellite(hubDbFile: string, name: string, hubUrl: string, pin?: HubPin): { id: string; dataDir: string } {
  const id = randomUUID();
  const credential = randomBytes(32).toString('base64url');
  const db = new Database(hubDbFile);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('INSERT INTO satellites (id, name, credential_hash, paired_at) VALUES (?, ?, ?, ?)').run(
      id,
      name,
      createHash('sha256').update(credential).digest('hex'),
      Date.now(),
    );
  } finally {
    db.close();
  }
  const dataDir = mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
  writeFileSync(join(dataDir, HUB_LINK_FILE), JSON.stringify({ credential, hubUrl, ...pin }));
  return { id, dataDir };
}

/**
 * A hub as it runs at a lot: `--role hub`, HTTPS only with the certificate it made on first
 * start; `pin` is what a satellite pins at pairing, `call` a fetch pinned to it, and the hub's
 * `client` a tRPC client through that fetch.
 */
export async function startTlsHub(options: {
  dbFile: string;
  port: number;
  /** The hub's folder from an earlier start (a restart keeps its certificate); default a new one. */
  hubDir?: string;
  demo?: boolean;
}): Promise<{ hub: RunningServer; hubDir: string; pin: HubPin; call: typeof fetch }> {
  const hubDir = options.hubDir ?? mkdtempSync(join(tmpdir(), 'kiosk-hub-'));
  const started = await startServer({ dbFile: options.dbFile, demo: options.demo, args: ['--role', 'hub', '--data', hubDir, '--port', String(options.port)] });
  const certificate = readFileSync(join(hubDir, 'hub-tls.crt'), 'utf8');
  const pin = { fingerprint: fingerprintOf(certificate), certificate };
  const call = pinnedFetch(pin);
  // Its `client` goes through the pinned HTTPS fetch, as a satellite's calls do.
  const hub: RunningServer = Object.assign(started, { client: (token?: string): TRPCClient<AppRouter> => createClient(started.url, token, call) });
  return { hub, hubDir, pin, call };
}

/** Starts `npm run serve -- --role satellite` as its own process (its own process group). */
export function startSatellite(options: { hubUrl: string; dataDir: string; hubHost?: string; env?: Record<string, string> }): Promise<RunningServer> {
  return startServer({
    demo: false,
    dbFile: join(options.dataDir, 'unused.db'),
    args: ['--role', 'satellite', '--hub', options.hubUrl, '--data', options.dataDir],
    // Through the test's TCP proxy the hub is reached on another port: send its own Host.
    env: { KIOSK_HUB_TIMEOUT_MS: '1000', ...(options.hubHost ? { KIOSK_HUB_HOST: options.hubHost } : {}), ...options.env },
  });
}

/** Reads the hub's database beside the running hub (WAL: a reader never blocks it). */
export function readHub<T>(hubDbFile: string, read: (db: Database.Database) => T): T {
  const db = new Database(hubDbFile, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A loopback port free right now (for a hub that must come back on the same port after a crash). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** What a multi-kiosk test starts (hub, satellites, proxies), killed and closed after the file's tests. */
export function stopAfterAll(): { started: RunningServer[]; proxies: TcpProxy[] } {
  const started: RunningServer[] = [];
  const proxies: TcpProxy[] = [];
  afterAll(async () => {
    for (const server of started) await server.stop('SIGKILL');
    for (const proxy of proxies) await proxy.close();
  });
  return { started, proxies };
}
