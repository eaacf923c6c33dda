import { sql, type SQL } from 'drizzle-orm';
import { slotLeases } from '../../../db/schema';
import type { SqlInstant } from '../bookings/completion';

/**
 * SQL: a satellite kiosk's lease blocks slot `slotId` at `now` (issue 14): the hub's own screen
 * and its free counts do not offer it until `blocked_until` (leases/rules.ts says why that late).
 * The trigger of migration 0011 refuses the booking itself; this is the same fact for the map.
 */
export const leaseBlocksAt = (slotId: SqlInstant, now: SqlInstant): SQL =>
  sql`EXISTS (SELECT 1 FROM ${slotLeases} WHERE ${slotLeases.slotId} = ${slotId} AND ${slotLeases.blockedUntil} > ${now})`;
