import { pathToFileURL } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../electron/api/router';
import { NodeEventSource } from './node-event-source';

export interface RunningServer {
  url: string;
  dbFile: string;
  process: ChildProcess;
  /** Everything the server printed on stdout so far (e.g. the first-run setup code). */
  output(): string;
  /** A tRPC client over HTTP (+SSE) that sends `token` as a bearer token. */
  client(token?: string): TRPCClient<AppRouter>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  dbFile?: string;
  demo?: boolean;
  staffPin?: string;
  testClock?: boolean;
  staticDir?: string;
  host?: string;
  env?: Record<string, string>;
}

const root = join(import.meta.dirname, '..', '..');

export const tempDbFile = (name = 'kiosk') => join(mkdtempSync(join(tmpdir(), 'kiosk-test-')), `${name}.db`);

/** Starts `electron/server/cli.ts` in its own process, as `npm run serve` does. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dbFile = options.dbFile ?? tempDbFile();
  // The server itself, not tsx's CLI: the CLI runs the server as a child of its own, which a
  // SIGKILL of the CLI (power-loss test) would leave running. These are the flags it passes.
  const tsx = join(root, 'node_modules/tsx/dist');
  const args = [
    '--require', join(tsx, 'preflight.cjs'),
    '--import', pathToFileURL(join(tsx, 'loader.mjs')).href,
    join(root, 'electron/server/cli.ts'), '--db', dbFile, '--port', '0',
  ];
  if (options.demo ?? true) args.push('--demo');
  if (options.staticDir) args.push('--static', options.staticDir);
  if (options.host) args.push('--host', options.host);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      KIOSK_TEST_CLOCK: options.testClock === false ? '' : '1',
      KIOSK_STAFF_PIN: options.staffPin ?? '482916',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}${err}`));
    });
  });
  return {
    url,
    dbFile,
    process: child,
    output: () => printed,
    client: (token?: string) => createClient(url, token),
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

export function createClient(url: string, token?: string): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          connectionParams: () => (token ? { token } : {}),
          EventSource: NodeEventSource as never,
        }),
        false: httpLink({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }),
      }),
    ],
  });
}
