/** The one source of "now" for every rule. Injected so tests can move time. */
export interface Clock {
  now(): number;
}

/**
 * Wall-clock time that cannot run backwards while the process lives.
 * Rule (documented in README, tested in clock.test.ts): elapsed time is measured with the
 * monotonic timer from the moment the process started, so a kiosk clock that jumps back or
 * forward while running neither resurrects nor shortens a booking. A start-time floor
 * (the newest instant ever written to the database) keeps a restart on a clock set back
 * from moving "now" behind data already stored.
 */
export class MonotonicClock implements Clock {
  private readonly wallAtStart: number;
  private readonly monoAtStart: number;

  constructor(
    floorMs = 0,
    wallNow: () => number = Date.now,
    private readonly mono: () => number = () => performance.now(),
  ) {
    this.wallAtStart = Math.max(wallNow(), floorMs);
    this.monoAtStart = mono();
  }

  now(): number {
    return Math.floor(this.wallAtStart + (this.mono() - this.monoAtStart));
  }
}

/** A clock that tests (and KIOSK_TEST_CLOCK=1 servers) can move forward by hand. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
