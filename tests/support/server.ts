import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../electron/api/router';
import { NodeEventSource } from './node-event-source';
import { killGroup, waitGone } from './processes';

export interface RunningServer {
  url: string;
  dbFile: string;
  process: ChildProcess;
  /** Everything the server printed on stdout so far (e.g. the first-run setup code). */
  output(): string;
  /** The server's own process id (no wrapper in between). */
  pid: number;
  /** A tRPC client over HTTP (+SSE) that sends `token` as a bearer token. */
  client(token?: string): TRPCClient<AppRouter>;
  /** Sends `signal` (default SIGTERM, SIGKILL after 15 s), then kills its process group; resolves once all are gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  dbFile?: string;
  demo?: boolean;
  staffPin?: string;
  testClock?: boolean;
  staticDir?: string;
  host?: string;
  /** A fixed port (to start again where a stopped server was, restartable-server.ts); default 0, a free one. */
  port?: number;
  env?: Record<string, string>;
  /** More command-line options (e.g. `--role hub --data DIR`); a TLS hub is found by its https:// line. */
  args?: string[];
}

const root = join(import.meta.dirname, '..', '..');

export const tempDbFile = (name = 'kiosk') => join(mkdtempSync(join(tmpdir(), 'kiosk-test-')), `${name}.db`);

/** Every server this test process started and has not seen exit: stopped at the end of each file (see after-file.ts). */
const running = new Set<RunningServer>();

/**
 * Starts `electron/server/cli.ts` in its own process, as `npm run serve` does — but as node
 * itself with tsx as a loader (`node --import tsx`), not through the tsx CLI: the CLI runs the
 * server in a child of its own, so a SIGKILL aimed at "the server" would hit only the wrapper
 * and leave the real server serving the database. Here the spawned process IS the server. It
 * also leads its own process group (`detached`), and stop() kills the group as a backstop.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dbFile = options.dbFile ?? tempDbFile();
  const args = ['--import', 'tsx', join(root, 'electron/server/cli.ts'), '--db', dbFile, '--port', String(options.port ?? 0)];
  if (options.demo ?? true) args.push('--demo');
  if (options.staticDir) args.push('--static', options.staticDir);
  if (options.host) args.push('--host', options.host);
  if (options.args) args.push(...options.args);
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      KIOSK_TEST_CLOCK: options.testClock === false ? '' : '1',
      KIOSK_STAFF_PIN: options.staffPin ?? '482916',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      // A server that does not stop on SIGTERM within a generous bound is killed outright.
      const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(pid, 'SIGKILL'); // anything the server itself started
    await waitGone(pid);
    running.delete(server);
  };
  const server: RunningServer = {
    url: '',
    dbFile,
    process: child,
    pid,
    output: () => printed,
    client: (token?: string) => createClient(server.url, token),
    stop,
  };
  running.add(server);
  try {
    server.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      // Start-up compiles TypeScript on the fly: allow for a loaded 2-core machine.
      const timer = setTimeout(() => reject(new Error(`server did not start within 60 s: ${out}${err}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (https?:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code ?? signal}: ${out}${err}`));
      });
    });
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  return server;
}

/** Stops every server still running (the per-file backstop; a test should stop its own). */
export async function stopAllServers(): Promise<number> {
  const left = [...running];
  await Promise.all(left.map((server) => server.stop('SIGKILL')));
  return left.length;
}

/** `call`: the fetch to use (a hub's pinned HTTPS fetch); live streams stay on plain HTTP servers. */
export function createClient(url: string, token?: string, call?: typeof fetch): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          connectionParams: () => (token ? { token } : {}),
          EventSource: NodeEventSource as never,
        }),
        false: httpLink({ url: `${url}/trpc`, fetch: call, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }),
      }),
    ],
  });
}
