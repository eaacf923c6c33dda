import { afterEach, describe, expect, it } from 'vitest';
import { createBooking } from '../../electron/core/bookings/service';
import { markSent, outboxStats, OUTBOX_KEEP_MS, pruneOutbox, readEvents } from '../../electron/sync/outbox';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

/** Issue 15: the lot's outbox does not grow for ever, and pruning never costs an unsent event or the sequence. */
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const book = (slotId: number, vehicleNumber: string) => createBooking(kiosk.core, { slotId, vehicleNumber, bookingType: 'instant' }).booking;

describe('outbox pruning', () => {
  it('deletes only events central confirmed long enough ago, keeps the newest, and the sequence goes on', () => {
    kiosk = bootTestKiosk();
    book(1, 'KA01PR1001');
    book(2, 'KA01PR1002');
    const all = readEvents(kiosk.core, 1, 10_000);
    const last = all.at(-1)!.seq;
    // Central confirmed all but the last two.
    markSent(kiosk.core, last - 2);
    expect(pruneOutbox(kiosk.core)).toBe(0); // confirmed just now: kept
    kiosk.clock.advance(OUTBOX_KEEP_MS + HOUR);
    const gone = pruneOutbox(kiosk.core);
    expect(gone).toBe(all.length - 2);
    // The two unsent events stay (and the bookings' completion, written as time passed, follows them).
    const kept = readEvents(kiosk.core, 1, 10_000).map((event) => event.seq);
    expect(kept.slice(0, 2)).toEqual([last - 1, last]);
    expect(outboxStats(kiosk.core).unsent).toBe(kept.length);
    // Everything sent: the newest row stays, so the next event continues the sequence.
    const newest = kept.at(-1)!;
    markSent(kiosk.core, newest);
    kiosk.clock.advance(OUTBOX_KEEP_MS + HOUR);
    expect(pruneOutbox(kiosk.core)).toBe(kept.length - 1);
    expect(readEvents(kiosk.core, 1, 10_000).map((event) => event.seq)).toEqual([newest]);
    book(3, 'KA01PR1003');
    expect(readEvents(kiosk.core, 1, 10_000)[1]!.seq).toBe(newest + 1);
  });

  it('prunes a backlog larger than one batch, batch by batch, down to the newest row', () => {
    kiosk = bootTestKiosk();
    const insert = kiosk.core.db.sqlite.prepare(
      "INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at) VALUES (lower(hex(randomblob(16))), 'lot', 'test', 'test', '{}', ?)",
    );
    kiosk.core.db.sqlite.transaction(() => {
      for (let i = 0; i < 12_000; i += 1) insert.run(kiosk.clock.now());
    })();
    const last = outboxStats(kiosk.core).lastSeq;
    markSent(kiosk.core, last);
    kiosk.clock.advance(OUTBOX_KEEP_MS + HOUR);
    const before = readEvents(kiosk.core, 1, 100_000).length;
    expect(pruneOutbox(kiosk.core)).toBe(before - 1);
    expect(readEvents(kiosk.core, 1, 100_000).map((event) => event.seq)).toEqual([last]);
  });
});
