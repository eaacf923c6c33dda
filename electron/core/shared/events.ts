import { EventEmitter } from 'node:events';

export type BookingChange = 'created' | 'cancelled' | 'completed' | 'add_on' | 'renewed' | 'extended' | 'plate_corrected';

export type ChangeEvent = { kind: 'booking'; change: BookingChange; bookingId: number; lotId: number; slotId: number } | { kind: 'slots'; lotId: number };

/** In-process fan-out of committed changes; emitted only after the transaction commits. */
export class ChangeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit(events: readonly ChangeEvent[]): void {
    for (const event of events) this.emitter.emit('change', event);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  listenerCount(): number {
    return this.emitter.listenerCount('change');
  }
}

/**
 * Waits for the next matching change or a heartbeat. It subscribes once, up front, so a
 * change that lands while the consumer is busy is remembered rather than lost.
 */
export class ChangeWaiter {
  private dirty = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(bus: ChangeBus, matches: (event: ChangeEvent) => boolean) {
    this.unsubscribe = bus.subscribe((event) => {
      if (!matches(event)) return;
      this.dirty = true;
      this.wake?.();
    });
  }

  /** Resolves true on a change, false on heartbeat or abort. */
  next(heartbeatMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const finish = (changed: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wake = undefined;
        this.dirty = false;
        resolve(changed);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), heartbeatMs);
      this.wake = () => finish(true);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): void {
    this.unsubscribe();
    this.wake?.();
  }
}
