import { readdirSync, readlinkSync } from 'node:fs';
import { waitFor } from './wait';

/**
 * Child processes a test starts must really be gone when the test ends. These helpers tell
 * "the process exited" from "the handle says so", and kill a whole process group.
 */

/** True while a process with this id exists (a zombie counts until it is reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error; // EPERM: it exists but is not ours
  }
}

/** Sends `signal` to the process group led by `pid` (spawned with `detached: true`); no error if it is gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether any process in the group led by `pid` is still there. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Ids of the processes that have `file` (or its -wal/-shm companions) open, from /proc. */
export function processesHoldingFile(file: string): number[] {
  const names = new Set([file, `${file}-wal`, `${file}-shm`, `${file}-journal`]);
  const holders: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone meanwhile, or not ours
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (names.has(target)) {
        holders.push(Number(entry));
        break;
      }
    }
  }
  return holders;
}

/** Waits until the process (and its group) has gone; rejects after the timeout. */
export async function waitGone(pid: number, timeout = 15_000): Promise<void> {
  await waitFor(() => !isAlive(pid) && !groupAlive(pid), { timeout, what: `process ${pid} and its group to be gone` });
}
