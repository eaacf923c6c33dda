import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { AdjustableClock, MonotonicClock } from '../core/shared/clock';
import { isLoopbackAddress, isLoopbackHost } from '../server/hosts';
import { createHubClient } from './hub-client';
import { Journal } from './journal';
import { SatelliteLink } from './link';
import { newTokenSecret } from './local-router';
import { HUB_FILE } from './pairing';
import { createSatelliteServer } from './server';

/** The file pairing writes into the satellite's data folder (satellite/pairing.ts): its credential and the hub's pinned certificate. */
export const HUB_LINK_FILE = HUB_FILE;
export const hubLinkFile = z
  .object({ credential: z.string().min(20), fingerprint: z.string().optional(), certificate: z.string().optional(), hubUrl: z.string().optional() })
  .passthrough();

export interface SatelliteRuntimeOptions {
  /** Holds hub.json (from pairing), journal.db and the local token secret. */
  dataDir: string;
  /** The hub's address; default the one stored at pairing. */
  hubUrl?: string;
  /** The built renderer the satellite's screens load. */
  staticDir?: string;
  /** KIOSK_TEST_CLOCK=1: a clock tests may move (never in a packaged app). */
  testClock?: boolean;
  log?: (line: string) => void;
}

export interface SatelliteRuntime {
  readonly hubUrl: string;
  readonly server: Server;
  readonly link: SatelliteLink;
  /** Listens on host:port (0: any free port) and starts the link; resolves with the port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops the link and the server at once; resolves when the journal is closed. */
  close(): Promise<void>;
}

/** A satellite that cannot start says why in plain words (not paired, no hub address). */
export class SatelliteSetupError extends Error {}

/**
 * Nothing on the lot's network travels in clear text: a hub elsewhere is reached over HTTPS
 * with the certificate pinned at pairing. Plain http:// stays on this machine (a test's proxy,
 * a hub and a satellite on one box).
 */
function assertPrivateTransport(hubUrl: string): void {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new SatelliteSetupError(`"${hubUrl}" is not a hub address (e.g. https://192.168.1.20:4780).`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.host)) return;
  throw new SatelliteSetupError(
    `The hub at ${hubUrl} would be reached in clear text: use https:// (the address the hub's console shows), then pair again if asked.`,
  );
}

/**
 * A satellite kiosk's runtime (issue 14), shared by `npm run serve -- --role satellite`
 * (cli.ts) and the Electron app in the satellite role (main.ts): the journal, the link to the
 * hub through the pinned TLS client, and the satellite's own HTTP server for its screens.
 */
export function createSatelliteRuntime(options: SatelliteRuntimeOptions): SatelliteRuntime {
  const log = options.log ?? ((line: string) => console.log(line));
  mkdirSync(options.dataDir, { recursive: true });
  const linkPath = join(options.dataDir, HUB_LINK_FILE);
  if (!existsSync(linkPath)) throw new SatelliteSetupError(`${linkPath} is missing: pair this kiosk with the hub first.`);
  const paired = hubLinkFile.parse(JSON.parse(readFileSync(linkPath, 'utf8')));
  const hubUrl = options.hubUrl ?? paired.hubUrl;
  if (!hubUrl) throw new SatelliteSetupError('The hub address is required (--hub URL, or hubUrl in the pairing file).');
  assertPrivateTransport(hubUrl);

  const secretFile = join(options.dataDir, 'token-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, newTokenSecret(), { mode: 0o600 });
  const tokenSecret = readFileSync(secretFile);
  const hub = createHubClient({
    url: hubUrl,
    credential: paired.credential,
    fingerprint: paired.fingerprint,
    certificate: paired.certificate,
    timeoutMs: Number(process.env.KIOSK_HUB_TIMEOUT_MS) || 3_000,
    hostHeader: process.env.KIOSK_HUB_HOST || undefined,
  });
  const journal = new Journal(join(options.dataDir, 'journal.db'));
  const base = new MonotonicClock();
  const testClock = options.testClock ? new AdjustableClock(base) : undefined;
  const clock = testClock ?? base;
  const link = new SatelliteLink(
    journal,
    { lease: hub.lease, replay: hub.replay, slotMap: () => hub.query('slot.list', {}), lots: () => hub.query('lot.list', undefined) },
    clock,
    hubUrl,
    () => log(`[satellite] ${link.state()}`),
  );
  const server = createSatelliteServer({ journal, link, hub, clock, testClock, tokenSecret, staticDir: options.staticDir });
  let closed = false;
  let closing: Promise<void> = Promise.resolve();
  return {
    hubUrl,
    server,
    link,
    listen: (port, host) =>
      new Promise<number>((resolve, reject) => {
        // The satellite's server is its own screen's, in plain HTTP: never on the lot's network.
        if (!isLoopbackHost(host) && !isLoopbackAddress(host)) {
          return reject(
            new SatelliteSetupError(`A satellite serves only its own screen: listen on a loopback address (127.0.0.1, ::1 or localhost), not "${host}".`),
          );
        }
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          link.start();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close() {
      if (closed) return closing;
      closed = true;
      link.stop();
      server.close();
      server.closeAllConnections();
      // A heartbeat in flight still writes its answer to the journal: close it after that.
      closing = link.idle().then(() => journal.close());
      return closing;
    },
  };
}
