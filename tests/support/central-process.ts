import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { killGroup, waitGone } from './processes';

export interface RunningCentral {
  url: string;
  port: number;
  pid: number;
  output(): string;
  /** SIGTERM (SIGKILL after 15 s) or the signal given; then the process group; resolves once gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');
const running = new Set<RunningCentral>();

/**
 * Starts `central/cli.ts` as node itself (`node --import tsx`, no wrapper: a SIGKILL hits the
 * real server), leading its own process group, on a free loopback port.
 */
export async function startCentralProcess(options: { pgUrl: string; lotKeys: Record<string, string>; port?: number }): Promise<RunningCentral> {
  const args = ['--import', 'tsx', join(root, 'central/cli.ts'), '--pg', options.pgUrl, '--port', String(options.port ?? 0)];
  for (const [name, key] of Object.entries(options.lotKeys)) args.push('--lot-key', `${name}=${key}`);
  const child = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const pid = child.pid!;
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const central: RunningCentral = {
    url: '',
    port: 0,
    pid,
    output: () => printed,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      killGroup(pid, 'SIGKILL');
      await waitGone(pid);
      running.delete(central);
    },
  };
  running.add(central);
  try {
    central.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`central did not start within 60 s: ${printed}`)), 60_000);
      child.stdout!.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(printed);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        reject(new Error(`central exited with ${code ?? sig}: ${printed}`));
      });
    });
  } catch (error) {
    await central.stop('SIGKILL');
    throw error;
  }
  central.port = Number(new URL(central.url).port);
  return central;
}

/** The per-file backstop. */
export async function stopAllCentrals(): Promise<void> {
  await Promise.all([...running].map((central) => central.stop('SIGKILL')));
}
