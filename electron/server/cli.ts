import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { announceFirstRun, bootKiosk } from '../app/boot';
import { describeStart } from './start-summary';
import { createKioskHttpServer } from './http';
import { dirname, join } from 'node:path';
import { shortFingerprint } from '../core/pairing/proof';
import { runSatelliteCli } from '../satellite/cli';
import { pairWithHub } from '../satellite/pairing';
import { startSyncIfConfigured } from '../sync/start';
import { announceHubTls, loopbackOnly, prepareHubTls } from './hub-tls-server';

/**
 * `npm run serve -- --db kiosk.db --port 0 [--host 0.0.0.0] [--demo] [--static dist/web]`
 * Host names the server answers: 127.0.0.1, localhost, [::1], the `--host` name (or, for
 * 0.0.0.0, this machine's addresses) and `KIOSK_ALLOWED_HOSTS` (comma-separated).
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'kiosk.db' },
    port: { type: 'string', default: '4780' },
    host: { type: 'string', default: '127.0.0.1' },
    demo: { type: 'boolean', default: false },
    static: { type: 'string', default: fileURLToPath(new URL('../../dist/web', import.meta.url)) },
    // Issue 14: 'single' (default), 'hub' (TLS on the network, pairing) or 'satellite'
    // (--hub URL --data DIR [--pair CODE --name NAME]: electron/satellite/cli.ts).
    role: { type: 'string', default: 'single' },
    tls: { type: 'boolean', default: false },
    data: { type: 'string' },
    hub: { type: 'string' },
    pair: { type: 'string' },
    name: { type: 'string' },
    'local-port': { type: 'string' },
    // Issue 15: sync with a central server (else KIOSK_CENTRAL_URL / KIOSK_CENTRAL_KEY, or the lot's settings).
    central: { type: 'string' },
    'central-key': { type: 'string' },
  },
});

if (!['single', 'hub', 'satellite'].includes(values.role!)) {
  console.error(`--role is single, hub or satellite, not "${values.role}".`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}

const dataDir = values.data ?? dirname(values.db!);
const dbFile = values.data && values.db === 'kiosk.db' ? join(values.data, 'kiosk.db') : values.db!;
if (values.pair) {
  // Pair first: a satellite that cannot pair should say so and stop, not run unpaired.
  if (values.role !== 'satellite' || !values.hub) {
    console.error('--pair CODE needs --role satellite --hub https://HOST:PORT.');
    process.exit(2);
  }
  try {
    const link = await pairWithHub({ hubUrl: values.hub, code: values.pair, name: values.name, dataDir });
    console.log(`Paired with the hub at ${link.hubUrl} as "${link.name}" (${link.satelliteId}); hub fingerprint ${shortFingerprint(link.fingerprint)}.`);
  } catch (error) {
    console.error(`Pairing failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
// `--role satellite`: paired (above, when --pair was given), it runs the satellite runtime, which never returns.
if (values.role === 'satellite') await runSatelliteCli(process.argv.slice(2));
const serveTls = values.tls || values.role === 'hub';
const hubCert = serveTls ? await prepareHubTls(dataDir) : undefined;

const kiosk = bootKiosk({
  dbFile,
  demo: values.demo,
  staffPin: process.env.KIOSK_STAFF_PIN,
  generateOwnerPin: process.env.KIOSK_GENERATE_STAFF_PIN === '1',
  testClock: process.env.KIOSK_TEST_CLOCK === '1',
});
const server = createKioskHttpServer(kiosk, { staticDir: values.static, bindHost: values.host, tls: hubCert });
// A hub speaks TLS only on the network; its own screen may use plain HTTP on loopback (--local-port).
const localServer =
  hubCert && values['local-port'] !== undefined ? loopbackOnly(createKioskHttpServer(kiosk, { staticDir: values.static, bindHost: '127.0.0.1' })) : undefined;
const sync = startSyncIfConfigured(kiosk.core, { url: values.central, key: values['central-key'] });

// Every request is answered at its source (http.ts); this only makes sure a bug we did not
// foresee is logged and the kiosk keeps serving instead of going dark at a remote lot.
process.on('uncaughtException', (error) => console.error('[server] uncaught exception (kept running):', error));
process.on('unhandledRejection', (reason) => console.error('[server] unhandled rejection (kept running):', reason));

server.listen(port, values.host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const host = values.host === '0.0.0.0' ? '127.0.0.1' : values.host;
  const scheme = hubCert ? 'https' : 'http';
  console.log(`Kiosk server listening on ${scheme}://${host}:${actualPort}`);
  console.log(`  Driver kiosk:  ${scheme}://${host}:${actualPort}/`);
  console.log(`  Staff console: ${scheme}://${host}:${actualPort}/#/staff`);
  for (const line of describeStart(kiosk, { staffUrl: `${scheme}://${host}:${actualPort}/#/staff`, pinFromEnv: Boolean(process.env.KIOSK_STAFF_PIN) })) {
    console.log(line);
  }
  if (hubCert) announceHubTls(kiosk, hubCert, actualPort, values.host);
  announceFirstRun(kiosk);
});
if (localServer) {
  localServer.listen(Number(values['local-port']), '127.0.0.1', () => {
    const address = localServer.address();
    const localPort = typeof address === 'object' && address ? address.port : values['local-port'];
    console.log(`  This machine's screen (loopback only, plain HTTP): http://127.0.0.1:${localPort}/`);
  });
}

const shutdown = () => {
  sync?.stop();
  server.close();
  server.closeAllConnections();
  localServer?.close();
  localServer?.closeAllConnections();
  kiosk.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
