import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeaseGrant } from '../../electron/core/leases/rules';
import { Journal } from '../../electron/satellite/journal';

/** A satellite's journal on its own (issue 14): what it sells off line, and what it refuses. */
const T0 = Date.parse('2026-01-15T14:00:00.000Z');
const grant = (hubNow: number, slots: number[]): LeaseGrant => ({
  hubNow: new Date(hubNow).toISOString(),
  expiresAt: new Date(hubNow + 60_000).toISOString(),
  renewMs: 5_000,
  skewMs: 10_000,
  slots: slots.map((slotId) => ({ slotId, lotId: 1, label: `A${slotId}`, vehicleType: 'car', currency: 'INR', stayMinutes: 60, price: 6000 })),
});
let journal: Journal | undefined;
afterEach(() => journal?.close());
const fresh = () => join(mkdtempSync(join(tmpdir(), 'kiosk-journal-')), 'journal.db');

describe('satellite journal', () => {
  it('sells only leased, free slots, before the lease ends by its own clock', () => {
    journal = new Journal(fresh());
    // The hub's clock is an hour ahead: the lease still counts 60 s from this clock's send time.
    journal.storeLeases(grant(T0 + 3_600_000, [1, 2]), T0);
    const sold = journal.sell({ slotId: 1, vehicleNumber: 'KA01J1' }, T0 + 1_000);
    expect(sold).toMatchObject({ slotId: 1, status: 'booked', pending: true, price: 6000 });
    expect(() => journal!.sell({ slotId: 1, vehicleNumber: 'KA01J2' }, T0 + 2_000)).toThrow(expect.objectContaining({ reason: 'SLOT_TAKEN' }));
    expect(() => journal!.sell({ slotId: 3, vehicleNumber: 'KA01J2' }, T0 + 2_000)).toThrow(expect.objectContaining({ reason: 'NOT_AT_THIS_KIOSK' }));
    expect(() => journal!.sell({ slotId: 2, vehicleNumber: 'KA01J1' }, T0 + 2_000)).toThrow(expect.objectContaining({ reason: 'VEHICLE_BUSY' }));
    expect(() => journal!.sell({ slotId: 2, vehicleNumber: 'KA01J3' }, T0 + 60_000)).toThrow(expect.objectContaining({ reason: 'KIOSK_OUT_OF_SERVICE' }));
    expect(journal.backlog()).toBe(1);
  });

  it('keeps sales across a reopen (a crash), and changes only sales the hub has not acknowledged', () => {
    const file = fresh();
    journal = new Journal(file);
    journal.storeLeases(grant(T0, [1, 2]), T0);
    const a = journal.sell({ slotId: 1, vehicleNumber: 'KA01J4' }, T0 + 1_000);
    const b = journal.sell({ slotId: 2, vehicleNumber: 'KA01J5' }, T0 + 1_000);
    journal.close();
    journal = new Journal(file);
    expect(journal.pendingEvents().map((e) => e.kind)).toEqual(['book', 'book']);
    // The hub acknowledged A's sale: A is the hub's now.
    const [bookA] = journal.pendingEvents();
    journal.acknowledge([{ eventId: bookA!.eventId, result: 'applied', repeat: false, bookingId: 7 }], T0 + 2_000);
    expect(() => journal!.cancel(a.globalId, T0 + 3_000)).toThrow(expect.objectContaining({ reason: 'HUB_UNREACHABLE' }));
    expect(journal.cancel(b.globalId, T0 + 3_000).status).toBe('cancelled');
    expect(journal.pendingEvents().map((e) => e.kind)).toEqual(['book', 'cancel']);
    expect(journal.find(b.reference, 'ka 01 j5', T0 + 3_000)?.globalId).toBe(b.globalId);
    expect(() => journal!.get(randomUUID(), T0)).toThrow(/no such booking/);
  });
});
