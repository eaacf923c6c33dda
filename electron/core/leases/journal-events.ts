import { z } from 'zod';

/**
 * What a satellite writes to its journal while the hub is out of reach, and replays into the hub
 * when it is back (issue 14). Every event has its own id: the hub applies each exactly once.
 * Every booking has a globally unique id (a UUID made by the satellite), so a replayed booking
 * can never be confused with another kiosk's.
 */
const instant = z.iso.datetime();
const uuid = z.uuid();
const plate = z.string().min(1).max(20);
const reference = z.string().min(4).max(16);

const sale = {
  eventId: uuid,
  globalId: uuid,
  slotId: z.number().int().positive(),
  reference,
  vehicleNumber: plate,
  startTime: instant,
  endTime: instant,
  price: z.number().int().min(0),
  at: instant,
};

export const journalEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('book'), ...sale }).strict(),
  z.object({ kind: z.literal('renew'), ...sale, fromGlobalId: uuid }).strict(),
  z.object({ kind: z.literal('cancel'), eventId: uuid, globalId: uuid, at: instant }).strict(),
]);
export type JournalEvent = z.infer<typeof journalEvent>;

export const replayInput = z.object({ events: z.array(journalEvent).max(500) }).strict();

export interface ReplayOutcome {
  eventId: string;
  /** `applied` the first time; the same answer again for a repeat (`repeat: true`). */
  result: 'applied' | 'refused';
  repeat: boolean;
  bookingId?: number;
  /** The hub's reference, when the satellite's was taken there (the driver's receipt says which). */
  reference?: string;
  reason?: string;
}

export const satelliteReportInput = z
  .object({
    state: z.enum(['online', 'offline-leases', 'out-of-service']),
    journalBacklog: z.number().int().min(0),
    leasedSlots: z.number().int().min(0),
  })
  .strict();
