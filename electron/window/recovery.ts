/**
 * What the kiosk does when its renderer dies or hangs: bring the screen back, always — a
 * kiosk nobody is watching must heal itself — but back off when it keeps crashing, so a
 * crash loop does not burn the machine, and give a hung renderer a grace period first
 * (long garbage collections and slow disks make renderers briefly unresponsive).
 */

export type GoneReason = 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction';

export interface RecoveryPolicy {
  /** How long a renderer may stay unresponsive before it is restarted. */
  hangGraceMs: number;
  /** Delay before the first reload after a crash. */
  firstReloadDelayMs: number;
  /** The delay doubles per crash in a row, up to this. */
  maxReloadDelayMs: number;
  /** A renderer that has run this long without crashing resets the back-off. */
  stableAfterMs: number;
}

export const DEFAULT_RECOVERY_POLICY: RecoveryPolicy = {
  hangGraceMs: 10_000,
  firstReloadDelayMs: 500,
  maxReloadDelayMs: 30_000,
  stableAfterMs: 5 * 60_000,
};

export interface RecoveryActions {
  /** Loads the app's screen again in the same window. */
  reload(): void;
  /** Kills a hung renderer and loads the screen in a fresh one. */
  restartHung(): void;
  log(message: string): void;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long after restartHung a 'killed' report is taken as the echo of that kill. */
const RESTART_ECHO_MS = 5_000;

/** Should a renderer that went away be brought back? Not when it exited because the app is quitting. */
export function shouldReloadAfterGone(reason: GoneReason, quitting: boolean): boolean {
  if (quitting) return false;
  return reason !== 'clean-exit';
}

/** The delay before reload number `crashesInARow` (1 = the first crash). */
export function reloadDelay(policy: RecoveryPolicy, crashesInARow: number): number {
  const exponent = Math.max(0, crashesInARow - 1);
  return Math.min(policy.maxReloadDelayMs, policy.firstReloadDelayMs * 2 ** Math.min(exponent, 30));
}

/** One per window: feed it the window's events, it decides when to reload. */
export class RendererWatchdog {
  private crashesInARow = 0;
  private lastCrashAt = -Infinity;
  private pendingReload: unknown = undefined;
  private hangTimer: unknown = undefined;
  private restartedHungAt = -Infinity;
  private disposed = false;

  constructor(
    private readonly actions: RecoveryActions,
    private readonly policy: RecoveryPolicy = DEFAULT_RECOVERY_POLICY,
    private readonly timers: Timers = realTimers,
  ) {}

  /** `render-process-gone`. Returns the reload delay, or null when nothing will be done. */
  rendererGone(reason: GoneReason, quitting: boolean): number | null {
    this.cancelHang();
    if (this.disposed || !shouldReloadAfterGone(reason, quitting)) return null;
    const now = this.timers.now();
    // restartHung kills the renderer and reloads at once; its own kill is not a new crash.
    if (reason === 'killed' && now - this.restartedHungAt < RESTART_ECHO_MS) {
      this.restartedHungAt = -Infinity;
      return null;
    }
    if (now - this.lastCrashAt > this.policy.stableAfterMs) this.crashesInARow = 0;
    this.crashesInARow += 1;
    this.lastCrashAt = now;
    const delay = reloadDelay(this.policy, this.crashesInARow);
    this.actions.log(`renderer gone (${reason}); reload #${this.crashesInARow} in ${delay} ms`);
    this.schedule(delay, () => this.actions.reload());
    return delay;
  }

  /** `unresponsive`: start the grace period (once). */
  unresponsive(): void {
    if (this.disposed || this.hangTimer !== undefined) return;
    this.actions.log(`renderer unresponsive; restarting it in ${this.policy.hangGraceMs} ms unless it recovers`);
    this.hangTimer = this.timers.setTimeout(() => {
      this.hangTimer = undefined;
      if (this.disposed) return;
      this.actions.log('renderer still unresponsive; restarting it');
      this.restartedHungAt = this.timers.now();
      this.actions.restartHung();
    }, this.policy.hangGraceMs);
  }

  /** `responsive`: it came back by itself. */
  responsive(): void {
    if (this.hangTimer !== undefined) this.actions.log('renderer responsive again');
    this.cancelHang();
  }

  /** The window is closing: forget every timer. */
  dispose(): void {
    this.disposed = true;
    this.cancelHang();
    if (this.pendingReload !== undefined) this.timers.clearTimeout(this.pendingReload);
    this.pendingReload = undefined;
  }

  get hangPending(): boolean {
    return this.hangTimer !== undefined;
  }

  private schedule(delay: number, fn: () => void): void {
    if (this.pendingReload !== undefined) this.timers.clearTimeout(this.pendingReload);
    this.pendingReload = this.timers.setTimeout(() => {
      this.pendingReload = undefined;
      if (!this.disposed) fn();
    }, delay);
  }

  private cancelHang(): void {
    if (this.hangTimer !== undefined) this.timers.clearTimeout(this.hangTimer);
    this.hangTimer = undefined;
  }
}
