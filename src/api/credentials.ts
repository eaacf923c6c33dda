import { bookingNamedBy } from '../../shared/booking-input';

/**
 * Which token a call carries. The kiosk holds the access token of the booking on screen;
 * the staff console holds a staff session token. Each window is its own renderer, so one
 * window never holds both kinds.
 */
// Keyed by the booking's id: a number at the hub, a global id (UUID) for a sale a satellite
// made while the hub was out of reach.
const bookingTokens = new Map<number | string, string>();
let staffToken: string | null = sessionStorage.getItem('staffToken');

export const credentials = {
  rememberBooking(bookingId: number | string, token: string): void {
    bookingTokens.set(bookingId, token);
  },
  /** The hub took over a sale this kiosk made off line: the same token names it by the hub's id (the kiosk's server translates). */
  followBooking(from: number | string, to: number | string): void {
    const token = bookingTokens.get(from);
    if (token !== undefined && !bookingTokens.has(to)) bookingTokens.set(to, token);
  },
  forgetBookings(): void {
    bookingTokens.clear();
  },
  setStaffToken(token: string | null): void {
    staffToken = token;
    if (token) sessionStorage.setItem('staffToken', token);
    else sessionStorage.removeItem('staffToken');
  },
  staffToken: () => staffToken,
  /** The token for one call: staff if signed in, else the token of the booking it names. */
  forCall(input: unknown): string | undefined {
    if (staffToken) return staffToken;
    const id = bookingNamedBy(input);
    return id === undefined ? undefined : bookingTokens.get(id);
  },
};
