import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSatelliteRuntime, SatelliteSetupError, type SatelliteRuntime } from './runtime';

export { HUB_LINK_FILE, hubLinkFile } from './runtime';

/**
 * `npm run serve -- --role satellite --hub http://HUB:PORT --data DIR --port P [--host H] [--static dist/web]`
 * Resolves only when the process ends (SIGINT/SIGTERM exit it).
 */
export async function runSatelliteCli(args: string[]): Promise<never> {
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
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`--port must be a number from 0 to 65535, not "${values.port}".`);

  let runtime: SatelliteRuntime;
  try {
    runtime = createSatelliteRuntime({ dataDir: values.data!, hubUrl: values.hub, staticDir: values.static, testClock: process.env.KIOSK_TEST_CLOCK === '1' });
  } catch (error) {
    if (error instanceof SatelliteSetupError) fatal(error.message);
    throw error;
  }
  process.on('uncaughtException', (error) => console.error('[satellite] uncaught exception (kept running):', error));
  process.on('unhandledRejection', (reason) => console.error('[satellite] unhandled rejection (kept running):', reason));
  const actual = await runtime!.listen(port, values.host!).catch((error: unknown) => {
    if (error instanceof SatelliteSetupError) return fatal(error.message);
    throw error;
  });
  console.log(`Satellite kiosk listening on http://${values.host}:${actual} (hub ${runtime!.hubUrl})`);
  return new Promise<never>(() => {
    const shutdown = () => {
      // At most a second for a heartbeat in flight; every journal commit is fsynced anyway.
      void Promise.race([runtime.close(), new Promise((resolve) => setTimeout(resolve, 1_000))]).finally(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}
