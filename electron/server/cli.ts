import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { announceFirstRun, bootKiosk } from '../app/boot';
import { describeStart } from './start-summary';
import { createKioskHttpServer } from './http';
import { isSatelliteRun, runSatelliteCli } from '../satellite/cli';
import { startSyncIfConfigured } from '../sync/start';

// `--role satellite`: the satellite runtime (issue 14, docs/multi-kiosk.md); it never returns.
if (isSatelliteRun(process.argv)) await runSatelliteCli(process.argv.slice(2));

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
    // 'single' (default) or 'hub': the same server; link.status says 'hub' once a satellite is paired.
    role: { type: 'string', default: 'single' },
    // Issue 15: sync with a central server (else KIOSK_CENTRAL_URL / KIOSK_CENTRAL_KEY, or the lot's settings).
    central: { type: 'string' },
    'central-key': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}

const kiosk = bootKiosk({
  dbFile: values.db!,
  demo: values.demo,
  staffPin: process.env.KIOSK_STAFF_PIN,
  generateOwnerPin: process.env.KIOSK_GENERATE_STAFF_PIN === '1',
  testClock: process.env.KIOSK_TEST_CLOCK === '1',
});
const server = createKioskHttpServer(kiosk, { staticDir: values.static, bindHost: values.host });
const sync = startSyncIfConfigured(kiosk.core, { url: values.central, key: values['central-key'] });

// Every request is answered at its source (http.ts); this only makes sure a bug we did not
// foresee is logged and the kiosk keeps serving instead of going dark at a remote lot.
process.on('uncaughtException', (error) => console.error('[server] uncaught exception (kept running):', error));
process.on('unhandledRejection', (reason) => console.error('[server] unhandled rejection (kept running):', reason));

server.listen(port, values.host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const host = values.host === '0.0.0.0' ? '127.0.0.1' : values.host;
  console.log(`Kiosk server listening on http://${host}:${actualPort}`);
  console.log(`  Driver kiosk:  http://${host}:${actualPort}/`);
  console.log(`  Staff console: http://${host}:${actualPort}/#/staff`);
  for (const line of describeStart(kiosk, { staffUrl: `http://${host}:${actualPort}/#/staff`, pinFromEnv: Boolean(process.env.KIOSK_STAFF_PIN) })) {
    console.log(line);
  }
  announceFirstRun(kiosk);
});

const shutdown = () => {
  sync?.stop();
  server.close();
  server.closeAllConnections();
  kiosk.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
