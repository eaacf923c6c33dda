export const MARK: string;
/** Gives this process a run id (once), so everything it starts from now on carries it. */
export function markRun(): string;
/** Processes (other than `exclude`) whose environment holds this run's mark. */
export function markedProcesses(runId: string, exclude?: number[]): { pid: number; command: string }[];
/** Kills what the run left behind (SIGKILL) and returns what it found. */
export function killLeftovers(runId: string, exclude?: number[]): { pid: number; command: string }[];
