/**
 * One job at a time per printer. A receipt printer serves one TCP connection at a time; a
 * second one (the console's test page while a driver's receipt prints) would wait in the
 * printer's backlog and time out. Jobs queue here instead, and the queue is short: a driver
 * never waits behind more than `maxWaiting` other jobs (each bounded by its own timeout);
 * beyond that the answer is BUSY at once and the kiosk shows the QR on screen.
 */
import type { PrintOutcome } from './network-printer';

export interface PrintQueue {
  run(job: () => Promise<PrintOutcome>): Promise<PrintOutcome>;
  /** Jobs running or waiting. */
  size(): number;
}

export function createPrintQueue(maxWaiting = 2): PrintQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let inQueue = 0;
  return {
    size: () => inQueue,
    run(job) {
      if (inQueue > maxWaiting) {
        return Promise.resolve({ ok: false, reason: 'BUSY', phase: 'connect', detail: 'the printer is busy with other receipts', elapsedMs: 0 });
      }
      inQueue += 1;
      const result = tail
        .then(job)
        .catch((error: unknown): PrintOutcome => ({ ok: false, reason: 'FAILED', phase: 'connect', detail: String(error), elapsedMs: 0 }));
      tail = result.finally(() => {
        inQueue -= 1;
      });
      return result;
    },
  };
}
