import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { tempDbFile } from './server';

/**
 * The real server (`electron/server/cli.ts`) in a process of its own that can be stopped and
 * started again on the same port and the same database, as when a kiosk's server goes away
 * and comes back. Node runs the server itself (tsx as an --import hook, no wrapper process),
 * in its own process group, and stopping it kills the group and checks that it is gone.
 */
export interface RestartableServer {
  url: string;
  port: number;
  dbFile: string;
  /** The pid of the server now running (null while stopped). */
  pid(): number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function launch(dbFile: string, port: number, staticDir: string): Promise<{ child: ChildProcess; url: string; port: number }> {
  const args = ['--import', 'tsx', join(root, 'electron/server/cli.ts'), '--db', dbFile, '--port', String(port), '--demo', '--static', staticDir];
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    env: { ...process.env, KIOSK_TEST_CLOCK: '1', KIOSK_STAFF_PIN: '482916' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s:]+:(\d+))/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, port: Number(match[2]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}${err}`));
    });
  });
}

export async function startRestartableServer(options: { staticDir: string; dbFile?: string }): Promise<RestartableServer> {
  const dbFile = options.dbFile ?? tempDbFile('restartable');
  let running: ChildProcess | null = null;
  const first = await launch(dbFile, 0, options.staticDir);
  running = first.child;
  const port = first.port;

  return {
    url: first.url,
    port,
    dbFile,
    pid: () => running?.pid ?? null,
    async stop() {
      const child = running;
      if (!child?.pid) return;
      running = null;
      const pid = child.pid;
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      try {
        // The whole group: the server and anything it started.
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
      await waitUntil(() => !alive(pid), `server ${pid} to be gone`);
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
    async start() {
      if (running) throw new Error('the server is already running');
      // The port was just freed; a few tries cover the moment the kernel takes to let it go.
      for (let attempt = 0; ; attempt += 1) {
        try {
          running = (await launch(dbFile, port, options.staticDir)).child;
          return;
        } catch (error) {
          if (attempt >= 5 || !/EADDRINUSE/.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
    },
  };
}
