/**
 * How the Electron kiosk was asked to run, from its command line and environment. Pure, so
 * it is tested in Node; main.ts passes `process.argv` and `process.env`.
 *
 *   --staff-window            also open the staff console in its own window
 *   --serve-lan[=HOST:PORT]   also serve the app over HTTP (staff console from other PCs);
 *                             bound to 127.0.0.1:4780 unless a host/port is given
 *   --data-dir=DIR            keep the database (kiosk.db) and the window profile in DIR
 *                             instead of Electron's user data folder (--data DIR: the same)
 *   --role single|hub|satellite
 *                             issue 14, as `npm run serve`: single (default) is its own hub;
 *                             hub serves the network over HTTPS with its certificate (pairing);
 *                             satellite opens no lot database and runs the satellite runtime
 *   --hub URL                 the hub's https:// address (satellite; default the paired one)
 *   --pair CODE [--name NAME] pair with the hub first, unless already paired with it
 *   --port P                  satellite: its screens' loopback port (default 4781)
 *   --central URL --central-key KEY   sync with a central server (issue 15)
 * The new options take `--name VALUE` or `--name=VALUE`.
 *
 * Environment: KIOSK_STAFF_WINDOW=1, KIOSK_SERVE_LAN=1 | HOST:PORT, KIOSK_LAN_HOST,
 * KIOSK_LAN_PORT, KIOSK_DATA_DIR, KIOSK_STAFF_PIN, KIOSK_SQLITE_BINDING,
 * KIOSK_MIGRATIONS_DIR, KIOSK_TEST_CLOCK=1, KIOSK_GENERATE_STAFF_PIN=1, KIOSK_DEVTOOLS=0, NODE_ENV,
 * KIOSK_ROLE, KIOSK_HUB_URL, KIOSK_PAIR_CODE, KIOSK_SATELLITE_NAME, KIOSK_SATELLITE_PORT, KIOSK_CENTRAL_URL, KIOSK_CENTRAL_KEY.
 */
export type KioskRole = 'single' | 'hub' | 'satellite';

export interface LaunchOptions {
  staffWindow: boolean;
  /** Where to serve HTTP, or null to serve nothing. */
  lan: { host: string; port: number } | null;
  dataDir: string | undefined;
  /** Developer tools and reload shortcuts: only outside production. */
  devTools: boolean;
  /** A packaged app or NODE_ENV=production. */
  production: boolean;
  testClock: boolean;
  staffPin: string | undefined;
  /** A fresh database without staffPin gets an owner with a random PIN, printed once (`npm start`). */
  generateStaffPin: boolean;
  role: KioskRole;
  /** Satellite: the hub's address (else the one stored at pairing). */
  hubUrl: string | undefined;
  /** Satellite: a one-time code from the hub's console, and this kiosk's name there. */
  pair: { code: string; name: string | undefined } | null;
  /** Satellite: the loopback port its runtime serves the windows on (0: any free port). */
  satellitePort: number;
  /** Issue 15: the central server; empty falls back to the lot's settings (electron/sync/start.ts). */
  central: { url: string | undefined; key: string | undefined };
}

export const KIOSK_ROLES: readonly KioskRole[] = ['single', 'hub', 'satellite'];

export const DEFAULT_LAN_HOST = '127.0.0.1';
export const DEFAULT_LAN_PORT = 4780;
/** As `npm run serve -- --role satellite`: the satellite's own screens on 127.0.0.1. */
export const DEFAULT_SATELLITE_PORT = 4781;

type Env = Record<string, string | undefined>;

export function parseLaunchOptions(argv: readonly string[], env: Env, isPackaged: boolean): LaunchOptions {
  const flag = (name: string) => argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const value = (name: string) => {
    const found = argv.find((arg) => arg.startsWith(`--${name}=`));
    return found === undefined ? undefined : found.slice(name.length + 3);
  };
  // The options shared with `npm run serve` also take their value as the next argument.
  const option = (name: string): string | undefined => {
    const inline = value(name);
    if (inline !== undefined) return inline;
    const at = argv.indexOf(`--${name}`);
    const next = at >= 0 ? argv[at + 1] : undefined;
    return next !== undefined && !next.startsWith('--') ? next : undefined;
  };
  const production = isPackaged || env.NODE_ENV === 'production';
  const role = option('role') || env.KIOSK_ROLE || 'single';
  if (!(KIOSK_ROLES as readonly string[]).includes(role)) throw new Error(`--role is single, hub or satellite, not "${role}".`);
  const hubUrl = option('hub') || env.KIOSK_HUB_URL || undefined;
  const code = option('pair') || env.KIOSK_PAIR_CODE || undefined;
  if (code && (role !== 'satellite' || !hubUrl)) throw new Error('--pair CODE needs --role satellite --hub https://HOST:PORT.');
  return {
    staffWindow: flag('staff-window') || truthy(env.KIOSK_STAFF_WINDOW),
    lan: parseLan(flag('serve-lan') ? (value('serve-lan') ?? '1') : env.KIOSK_SERVE_LAN, env),
    dataDir: value('data-dir') || option('data') || env.KIOSK_DATA_DIR || undefined,
    // `npm start` sets KIOSK_DEVTOOLS=0: a kiosk run that way is not a developer session.
    devTools: !production && env.KIOSK_DEVTOOLS !== '0',
    production,
    testClock: env.KIOSK_TEST_CLOCK === '1' && !isPackaged,
    staffPin: env.KIOSK_STAFF_PIN || undefined,
    generateStaffPin: truthy(env.KIOSK_GENERATE_STAFF_PIN),
    role: role as KioskRole,
    hubUrl,
    satellitePort: parsePort(option('port') ?? env.KIOSK_SATELLITE_PORT ?? String(DEFAULT_SATELLITE_PORT), '--port'),
    pair: code ? { code, name: option('name') || env.KIOSK_SATELLITE_NAME || undefined } : null,
    central: { url: option('central') || env.KIOSK_CENTRAL_URL || undefined, key: option('central-key') || env.KIOSK_CENTRAL_KEY || undefined },
  };
}

/** "1"/"true" → the defaults; "HOST:PORT", "HOST" or ":PORT" → those; empty/"0"/"false" → off. */
export function parseLan(setting: string | undefined, env: Env = {}): LaunchOptions['lan'] {
  if (setting === undefined || setting === '' || setting === '0' || setting.toLowerCase() === 'false') return null;
  let host = env.KIOSK_LAN_HOST || DEFAULT_LAN_HOST;
  let port = env.KIOSK_LAN_PORT ? Number(env.KIOSK_LAN_PORT) : DEFAULT_LAN_PORT;
  if (!truthy(setting)) {
    const match = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(setting);
    if (!match) throw new Error(`--serve-lan expects HOST:PORT, not "${setting}".`);
    if (match[1]) host = match[1].replace(/^\[|\]$/g, '');
    if (match[2] !== undefined) port = Number(match[2]);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`The LAN port must be a number from 0 to 65535, not "${port}".`);
  return { host, port };
}

function parsePort(setting: string, name: string): number {
  const port = Number(setting);
  if (setting === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a number from 0 to 65535, not "${setting}".`);
  return port;
}

function truthy(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}
