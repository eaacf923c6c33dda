import type { IncomingMessage } from 'node:http';
import { BOOKING_INPUT_FIELDS } from '../../shared/booking-input';
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
 * across the heal keeps its countdown, cancel and renew, and shows what the hub says. Should
 * the hub go again, the same screen (by then on the hub's id) is answered from the journal.
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

/** How long the hub's answer is kept: its token lasts far longer, but a restored hub may have lost the sale. */
const ACCESS_TTL_MS = 60_000;

export function createHandover(deps: { journal: Journal; hub: Pick<HubClient, 'query'>; tokenSecret: Buffer; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const known = new Map<string, { access: Promise<HubAccess>; until: number }>();

  /** The hub's id and token for the sale, asked once per minute however many calls want it at once. */
  function accessFor(globalId: string): Promise<HubAccess> {
    const cached = known.get(globalId);
    if (cached && cached.until > now()) return cached.access;
    const access = deps.hub.query<HubAccess>('hub.bookingAccess', { globalId });
    known.set(globalId, { access, until: now() + ACCESS_TTL_MS });
    // A refusal is not kept: the next call asks again.
    access.catch(() => known.delete(globalId));
    return access;
  }

  /** The journal sale a call's token is for (a genuine token of this kiosk), with the call's pieces. */
  function journalCall(req: IncomingMessage) {
    const url = new URL(req.url ?? '/', 'http://satellite.invalid');
    const connectionParams = parseJson(url.searchParams.get('connectionParams'));
    const paramToken = isRecord(connectionParams) && typeof connectionParams.token === 'string' ? connectionParams.token : undefined;
    const token = bearerToken(req.headers.authorization) ?? paramToken;
    const globalId = token ? journalTokenBooking(deps.tokenSecret, token) : null;
    // The path exactly as it came (never re-parsed: `//host/…` must not become another origin).
    const path = (req.url ?? '/').split('?')[0]!;
    return globalId ? { globalId, url, path, connectionParams, paramToken } : null;
  }

  /** Before relaying a screen's call to the hub. */
  async function decide(req: IncomingMessage, body: Buffer): Promise<HandoverDecision> {
    const call = journalCall(req);
    if (!call) return { kind: 'relay' };
    const where = deps.journal.whereIs(call.globalId);
    if (!where) return { kind: 'relay' };
    if (where.at === 'journal') return { kind: 'journal', hubUnreachable: false };
    let access: HubAccess;
    try {
      access = await accessFor(call.globalId);
    } catch (error) {
      // The hub lost the sale (a restore from before it): the journal still shows the driver's booking.
      return { kind: 'journal', hubUnreachable: error instanceof HubUnreachable };
    }
    const renamed = renameIn(call.globalId, access.bookingId);
    const input = call.url.searchParams.get('input');
    if (input !== null) call.url.searchParams.set('input', renamed(input));
    if (call.paramToken !== undefined)
      call.url.searchParams.set('connectionParams', JSON.stringify({ ...(call.connectionParams as object), token: access.accessToken }));
    return {
      kind: 'rewritten',
      request: {
        url: `${call.path}${call.url.search}`,
        authorization: req.headers.authorization === undefined ? undefined : `Bearer ${access.accessToken}`,
        body: body.length > 0 ? Buffer.from(renamed(body.toString('utf8'))) : body,
      },
    };
  }

  /**
   * Before answering a screen's call from the journal: a screen that had followed its sale to
   * the hub names it by the hub's id; the journal knows it by its global id.
   */
  function forJournal(req: IncomingMessage, body: Buffer): { url: string; body: Buffer } | undefined {
    const call = journalCall(req);
    if (!call) return undefined;
    const where = deps.journal.whereIs(call.globalId);
    if (where?.at !== 'hub') return undefined;
    const renamed = renameIn(where.bookingId, call.globalId);
    const input = call.url.searchParams.get('input');
    if (input !== null) call.url.searchParams.set('input', renamed(input));
    return { url: `${call.path}${call.url.search}`, body: body.length > 0 ? Buffer.from(renamed(body.toString('utf8'))) : body };
  }

  return { decide, forJournal };
}

/**
 * The input text with the booking it names as `from` named as `to` instead. Input that is not
 * a JSON object goes as it came, for the answering router to refuse.
 */
function renameIn(from: string | number, to: string | number) {
  return (text: string): string => {
    const input = parseJson(text);
    if (!isRecord(input)) return text;
    const out: Record<string, unknown> = { ...input };
    for (const field of BOOKING_INPUT_FIELDS) if (out[field] === from) out[field] = to;
    try {
      return JSON.stringify(out);
    } catch {
      return text; // nested beyond what can be written back: the router refuses it as it came
    }
  };
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
