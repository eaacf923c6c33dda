import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AdjustableClock, MonotonicClock } from '../core/shared/clock';
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

/**
 * `npm run serve -- --role satellite --hub http://HUB:PORT --data DIR --port P [--host H] [--static dist/web]`
 * Resolves only when the process ends (SIGINT/SIGTERM exit it).
 */
export function runSatelliteCli(args: string[]): Promise<never> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      // Accepted and ignored, so one launcher serves both roles: a satellite has no lot database.
      db: { type: 'string' },
      demo: { type: 'boolean' },
      // Handled before this runtime starts (electron/server/cli.ts pairs first).
      pair: { type: 'string' },
      name: { type: 'string' },
      hub: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string', default: '4781' },
      host: { type: 'string', default: '127.0.0.1' },
      static: { type: 'string', default: fileURLToPath(new URL('../../dist/web', import.meta.url)) },
    },
  });
  const fatal = (message: string): never => {
    console.error(message);
    process.exit(2);
  };
  if (!values.data) fatal('--data <dir> is required for a satellite (its journal and its pairing file live there).');
  mkdirSync(values.data!, { recursive: true });
  const linkPath = join(values.data!, HUB_LINK_FILE);
  if (!existsSync(linkPath)) fatal(`${linkPath} is missing: pair this kiosk with the hub first.`);
  const paired = hubLinkFile.parse(JSON.parse(readFileSync(linkPath, 'utf8')));
  const hubUrl = values.hub ?? paired.hubUrl ?? fatal('--hub <url> is required (or hubUrl in the pairing file).');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`--port must be a number from 0 to 65535, not "${values.port}".`);

  const journal = new Journal(join(values.data!, 'journal.db'));
  const base = new MonotonicClock();
  const testClock = process.env.KIOSK_TEST_CLOCK === '1' ? new AdjustableClock(base) : undefined;
  const clock = testClock ?? base;
  const secretFile = join(values.data!, 'token-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, newTokenSecret(), { mode: 0o600 });
  const tokenSecret = readFileSync(secretFile);
  const hub = createHubClient({ url: hubUrl, credential: paired.credential, fingerprint: paired.fingerprint, certificate: paired.certificate, timeoutMs: Number(process.env.KIOSK_HUB_TIMEOUT_MS) || 3_000, hostHeader: process.env.KIOSK_HUB_HOST || undefined });
  const link = new SatelliteLink(journal, { lease: hub.lease, replay: hub.replay, slotMap: () => hub.query('slot.list', {}) }, clock, hubUrl, () =>
    console.log(`[satellite] ${link.state()}`),
  );
  const server = createSatelliteServer({ journal, link, hub, clock, testClock, tokenSecret, staticDir: values.static });
  process.on('uncaughtException', (error) => console.error('[satellite] uncaught exception (kept running):', error));
  process.on('unhandledRejection', (reason) => console.error('[satellite] unhandled rejection (kept running):', reason));
  server.listen(port, values.host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    console.log(`Satellite kiosk listening on http://${values.host}:${actual} (hub ${hubUrl})`);
    link.start();
  });
  return new Promise<never>(() => {
    const shutdown = () => {
      link.stop();
      server.close();
      server.closeAllConnections();
      journal.close();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
