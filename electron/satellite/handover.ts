import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../api/context';
import { HubUnreachable, type HubClient, type RelayedRequest } from './hub-client';
import type { Journal } from './journal';
import { journalTokenBooking } from './local-router';

/**
 * A screen that showed a sale from the journal holds the sale's global id (a UUID) and this
 * kiosk's token for it (`sb_…`), and the hub knows neither. Once the hub has the sale (the
 * replay applied it), the satellite speaks for that screen: it relays the screen's call with
 * the hub's id for the booking and an access token the hub issued to this kiosk for it
 * (`hub.bookingAccess`, given only for this kiosk's own sales). So a confirmation left open
 * across the heal keeps its countdown, cancel and renew, and shows what the hub says.
 */
export type HandoverDecision =
  /** Not a journal booking's call: relay it as it is. */
  | { kind: 'relay' }
  /** The hub has the sale: relay it like this. */
  | { kind: 'rewritten'; request: RelayedRequest }
  /** Only the journal has the sale (not replayed yet, or refused), or the hub could not say: answer from it. */
  | { kind: 'journal'; hubUnreachable: boolean };

interface HubAccess {
  bookingId: number;
  accessToken: string;
}

export function createHandover(deps: { journal: Journal; hub: Pick<HubClient, 'query'>; tokenSecret: Buffer }) {
  // A token the hub issued lasts until a day after the booking's end: kept for the process.
  const known = new Map<string, HubAccess>();

  async function accessFor(globalId: string): Promise<HubAccess> {
    const cached = known.get(globalId);
    if (cached) return cached;
    const access = await deps.hub.query<HubAccess>('hub.bookingAccess', { globalId });
    known.set(globalId, access);
    return access;
  }

  return async function decide(req: IncomingMessage, body: Buffer): Promise<HandoverDecision> {
    const url = new URL(req.url ?? '/', 'http://satellite.invalid');
    const connectionParams = parseJson(url.searchParams.get('connectionParams'));
    const paramToken = isRecord(connectionParams) && typeof connectionParams.token === 'string' ? connectionParams.token : undefined;
    const token = bearerToken(req.headers.authorization) ?? paramToken;
    const globalId = token ? journalTokenBooking(deps.tokenSecret, token) : null;
    if (!globalId) return { kind: 'relay' };
    const where = deps.journal.whereIs(globalId);
    if (!where) return { kind: 'relay' };
    if (where.at === 'journal') return { kind: 'journal', hubUnreachable: false };
    let access: HubAccess;
    try {
      access = await accessFor(globalId);
    } catch (error) {
      // The hub lost the sale (a restore from before it): the journal still shows the driver's booking.
      return { kind: 'journal', hubUnreachable: error instanceof HubUnreachable };
    }
    // Input the hub could not read anyway goes as it came: the hub answers it.
    const renamed = (text: string) => {
      const input = parseJson(text);
      return input === undefined ? text : JSON.stringify(renameBooking(input, globalId, access.bookingId));
    };
    const input = url.searchParams.get('input');
    if (input !== null) url.searchParams.set('input', renamed(input));
    if (paramToken !== undefined) url.searchParams.set('connectionParams', JSON.stringify({ ...(connectionParams as object), token: access.accessToken }));
    return {
      kind: 'rewritten',
      request: {
        url: `${url.pathname}${url.search}`,
        authorization: req.headers.authorization === undefined ? undefined : `Bearer ${access.accessToken}`,
        body: body.length > 0 ? Buffer.from(renamed(body.toString('utf8'))) : body,
      },
    };
  };
}

/** The input with the journal id of the booking, where it names it (`id`, or a receipt's `bookingId`), as the hub's id. */
function renameBooking(input: unknown, globalId: string, bookingId: number): unknown {
  if (!isRecord(input)) return input;
  const out: Record<string, unknown> = { ...input };
  for (const key of ['id', 'bookingId']) if (out[key] === globalId) out[key] = bookingId;
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
