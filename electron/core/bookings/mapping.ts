import type { PriceLine } from '../tariffs/price';

/**
 * The one place where database values become domain values for the bookings side: JSON
 * columns (add-ons, price lines), SQLite's 0/1 booleans from hand-written SQL (drizzle's query
 * builder maps schema columns itself) and instants (integer ms since the epoch, UTC) to ISO text
 * for views.
 */

/** An add-on as the booking holds it (booking_add_ons). */
export interface AddOnRecord {
  kind: 'car_wash';
  price: number;
  /** Instant it was added (ms). */
  addedAt: number;
}

/** booking_add_ons rows as the view query returns them: a JSON array (json_group_array). */
export const addOnsFromJson = (json: string): AddOnRecord[] => JSON.parse(json) as AddOnRecord[];

/** bookings.price_breakdown: the PriceLine[] as sold, or null for bookings made before tariffs. */
export const priceLinesFromJson = (json: string | null): PriceLine[] | null => (json === null ? null : (JSON.parse(json) as PriceLine[]));

/** The stored form of price lines. */
export const priceLinesToJson = (lines: readonly PriceLine[]): string => JSON.stringify(lines);

/** SQLite's 0/1 (hand-written SQL) as a boolean. */
export const fromSqlBoolean = (value: number | boolean): boolean => value === true || value === 1;

/** An instant (ms) as the contract's ISO text. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A nullable instant (ms) as ISO text or null. */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
