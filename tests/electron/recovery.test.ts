import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOVERY_POLICY, reloadDelay, RendererWatchdog, shouldReloadAfterGone, type GoneReason, type Timers } from '../../electron/window/recovery';

/** Timers moved by hand, so the policy is tested without waiting. */
function manualTimers() {
  let now = 1_000_000;
  let nextHandle = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const handle = nextHandle++;
      pending.set(handle, { at: now + ms, fn });
      return handle;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    pending: () => pending.size,
    advance(ms: number) {
      now += ms;
      for (const [handle, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now && pending.delete(handle)) timer.fn();
      }
    },
  };
}

function setup() {
  const clock = manualTimers();
  const calls: string[] = [];
  const watchdog = new RendererWatchdog(
    { reload: () => calls.push('reload'), restartHung: () => calls.push('restartHung'), log: () => {} },
    DEFAULT_RECOVERY_POLICY,
    clock.timers,
  );
  return { clock, calls, watchdog };
}

describe('crash recovery policy', () => {
  it('reloads after every kind of crash, but not after a clean exit or while quitting', () => {
    const crashes: GoneReason[] = ['crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed', 'integrity-failure', 'memory-eviction'];
    for (const reason of crashes) expect(shouldReloadAfterGone(reason, false), reason).toBe(true);
    expect(shouldReloadAfterGone('clean-exit', false)).toBe(false);
    expect(shouldReloadAfterGone('crashed', true)).toBe(false);
  });

  it('backs off exponentially up to a ceiling', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((n) => reloadDelay(DEFAULT_RECOVERY_POLICY, n));
    expect(delays.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
    expect(Math.max(...delays)).toBe(DEFAULT_RECOVERY_POLICY.maxReloadDelayMs);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
  });
});

describe('RendererWatchdog', () => {
  it('reloads a crashed renderer after the first delay', () => {
    const { clock, calls, watchdog } = setup();
    expect(watchdog.rendererGone('crashed', false)).toBe(500);
    clock.advance(499);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual(['reload']);
  });

  it('waits longer for each crash in a row, and forgets them once the renderer has been stable', () => {
    const { clock, watchdog } = setup();
    expect(watchdog.rendererGone('crashed', false)).toBe(500);
    clock.advance(1_000);
    expect(watchdog.rendererGone('crashed', false)).toBe(1_000);
    clock.advance(2_000);
    expect(watchdog.rendererGone('oom', false)).toBe(2_000);
    clock.advance(DEFAULT_RECOVERY_POLICY.stableAfterMs + 1);
    expect(watchdog.rendererGone('crashed', false)).toBe(500);
  });

  it('does nothing when the app is quitting or the renderer exited cleanly', () => {
    const { clock, calls, watchdog } = setup();
    expect(watchdog.rendererGone('crashed', true)).toBeNull();
    expect(watchdog.rendererGone('clean-exit', false)).toBeNull();
    clock.advance(60_000);
    expect(calls).toEqual([]);
  });

  it('restarts a hung renderer only after the grace period', () => {
    const { clock, calls, watchdog } = setup();
    watchdog.unresponsive();
    watchdog.unresponsive();
    expect(watchdog.hangPending).toBe(true);
    clock.advance(DEFAULT_RECOVERY_POLICY.hangGraceMs - 1);
    expect(calls).toEqual([]);
    clock.advance(1);
    expect(calls).toEqual(['restartHung']);
    expect(watchdog.hangPending).toBe(false);
  });

  it('leaves a renderer alone that becomes responsive within the grace period', () => {
    const { clock, calls, watchdog } = setup();
    watchdog.unresponsive();
    clock.advance(3_000);
    watchdog.responsive();
    clock.advance(60_000);
    expect(calls).toEqual([]);
  });

  it('does not reload twice for the kill it made itself when restarting a hung renderer', () => {
    const { clock, calls, watchdog } = setup();
    watchdog.unresponsive();
    clock.advance(DEFAULT_RECOVERY_POLICY.hangGraceMs);
    expect(watchdog.rendererGone('killed', false)).toBeNull();
    clock.advance(60_000);
    expect(calls).toEqual(['restartHung']);
    // A later, real crash is handled as usual.
    expect(watchdog.rendererGone('crashed', false)).toBe(500);
  });

  it('cancels the hang timer when the renderer crashes, and everything when the window closes', () => {
    const { clock, calls, watchdog } = setup();
    watchdog.unresponsive();
    watchdog.rendererGone('crashed', false);
    expect(watchdog.hangPending).toBe(false);
    watchdog.dispose();
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(calls).toEqual([]);
    expect(watchdog.rendererGone('crashed', false)).toBeNull();
  });
});
