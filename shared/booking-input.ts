/**
 * How a call names the booking it is about: booking calls by `id`, receipt calls by
 * `bookingId`. The renderer picks the token to send by it (src/api/credentials.ts), and a
 * satellite renames it between the journal's id and the hub's (electron/satellite/handover.ts).
 */
export const BOOKING_INPUT_FIELDS = ['id', 'bookingId'] as const;

/** The booking a call's input names, if it names one. */
export function bookingNamedBy(input: unknown): number | string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  for (const field of BOOKING_INPUT_FIELDS) {
    const value = (input as Record<string, unknown>)[field];
    if (typeof value === 'number' || typeof value === 'string') return value;
  }
  return undefined;
}
