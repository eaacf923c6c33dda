// Finds processes a test run left behind, kills them, and says which they were.
//
// A run marks everything it starts: the runner puts KIOSK_TEST_RUN=<id> in the environment,
// and every child inherits it (vitest workers, servers, Chromium, Electron), however deep and
// even after it was orphaned. Processes of this checkout that carry no mark (a developer's
// own `npm start`) are not ours and are left alone.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const MARK = 'KIOSK_TEST_RUN';

/** Gives this process a run id (once), so everything it starts from now on carries it. */
export function markRun() {
  process.env[MARK] ||= randomUUID();
  return process.env[MARK];
}

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
};

/** Processes (other than `exclude` and their direct children) whose environment holds this run's mark. */
export function markedProcesses(runId, exclude = [process.pid]) {
  const needle = `${MARK}=${runId}`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (exclude.includes(pid)) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (!environ || !environ.split('\0').includes(needle)) continue;
    const stat = /^\d+ \(.*\) (\S) (\d+) /s.exec(read(`/proc/${pid}/stat`) ?? '');
    if (!stat || stat[1] === 'Z') continue; // gone, or a zombie waiting for its parent: already dead
    // The excluded processes' own children are the runner's workers, still winding down as a
    // global teardown runs; what a test started sits below them, or was orphaned to init.
    if (exclude.includes(Number(stat[2]))) continue;
    found.push({ pid, command: (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim().slice(0, 160) });
  }
  return found;
}

/** Kills what the run left behind (SIGKILL) and returns what it found. */
export function killLeftovers(runId, exclude) {
  const left = markedProcesses(runId, exclude);
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return left;
}
