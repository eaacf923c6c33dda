import type { Clock } from './clock';

/** The longest we sleep before looking again, so a clock jump or a missed timer heals itself. */
const MAX_SLEEP_MS = 30_000;

/**
 * Wakes when the next active booking ends and runs the same set-based expiry that every
 * request runs, so a kiosk showing a countdown hears "completed" on time even when nobody
 * calls. One timer for the whole lot, not one per booking.
 */
export class ExpiryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly nextDue: () => number | null,
    private readonly sweep: () => void,
  ) {}

  start(): void {
    this.running = true;
    this.fire();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Call after anything that may have changed the earliest end time. */
  reschedule(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    const due = this.nextDue();
    const wait = due === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(0, due - this.clock.now()));
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref?.();
  }

  /** Expire now (e.g. after a test clock moves) and plan the next wake-up. */
  fire(): void {
    if (!this.running) return;
    try {
      this.sweep();
    } finally {
      this.reschedule();
    }
  }
}
