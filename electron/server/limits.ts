import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The HTTP face's limits, in one place so every adapter over the router (the standalone one in
 * http.ts, or a faster node:http one) refuses the same things the same way. The checks are
 * plain functions over what arrives before the body is read; each returns null (go on) or the
 * refusal to send, already shaped like a tRPC error so a client shows it like any other.
 */
export const LIMITS = {
  /** Procedures in one batched call (GET or POST). The web client batches a screen's few reads. */
  maxBatch: 16,
  /** Request body in bytes. The largest legitimate input (a long cancel reason, a backup name) is well under 1 KiB. */
  maxBodyBytes: 64 * 1024,
  /**
   * Request target (path + query) in characters; a GET batch of 16 plain inputs fits in a few
   * KiB. Node itself refuses a request line and headers over 16 KiB (431) before we see it.
   */
  maxUrlChars: 8 * 1024,
  /** Open SSE streams from one network client (one remote address). A staff browser uses 2–3 per tab. */
  maxStreamsPerClient: envInt('KIOSK_MAX_STREAMS_PER_CLIENT', 16),
  /** Open SSE streams from all network clients together. */
  maxNetworkStreams: envInt('KIOSK_MAX_NETWORK_STREAMS', 400),
  /**
   * Open SSE streams of every kind, the kiosk's own screen included. Each stream holds one file
   * descriptor; at Linux's default soft limit of 1,024 this leaves room for the database, its
   * WAL, backups and ordinary requests. The network's share is smaller, so the screen always
   * has at least `maxStreams - maxNetworkStreams` streams left.
   */
  maxStreams: envInt('KIOSK_MAX_STREAMS', 800),
  /**
   * Bytes a live stream's socket may have queued and unsent before it is dropped (the client's
   * EventSource reconnects and gets the current value). Every socket of a feed holds the same
   * Buffer, so this bounds a slow reader, not memory per stream; room for a few slot lists.
   */
  maxStreamBacklogBytes: 1024 * 1024,
} as const;

export type Limits = typeof LIMITS;

export interface Refusal {
  status: number;
  code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_REQUESTS' | 'FORBIDDEN' | 'NOT_FOUND';
  message: string;
}

/** Refuses a request target longer than the limit (checked before anything parses it). */
export function checkUrl(url: string, limits: Pick<Limits, 'maxUrlChars'> = LIMITS): Refusal | null {
  if (url.length <= limits.maxUrlChars) return null;
  return { status: 414, code: 'BAD_REQUEST', message: `That request is too long (at most ${limits.maxUrlChars} characters).` };
}

/**
 * Refuses a batched call of more than `maxBatch` procedures. `procedurePath` is the part after
 * `/trpc/` (comma-separated in a batch); `search` is the query string.
 */
export function checkBatch(procedurePath: string, search: URLSearchParams, limits: Pick<Limits, 'maxBatch'> = LIMITS): Refusal | null {
  const count = search.get('batch') === '1' ? procedurePath.split(',').length : 1;
  if (count <= limits.maxBatch) return null;
  return { status: 400, code: 'BAD_REQUEST', message: `Send at most ${limits.maxBatch} calls in one batch (this one had ${count}).` };
}

/** Refuses a body whose declared length is over the limit, before a byte of it is read. */
export function checkDeclaredBody(headers: IncomingHttpHeaders, limits: Pick<Limits, 'maxBodyBytes'> = LIMITS): Refusal | null {
  const declared = headers['content-length'];
  if (declared === undefined || Number(declared) <= limits.maxBodyBytes) return null;
  return bodyTooLarge(limits);
}

export const bodyTooLarge = (limits: Pick<Limits, 'maxBodyBytes'> = LIMITS): Refusal => ({
  status: 413,
  code: 'PAYLOAD_TOO_LARGE',
  message: `That request is too large (at most ${limits.maxBodyBytes / 1024} KiB).`,
});

/**
 * Counts open SSE streams per client and in total. `open` returns a release function, or the
 * refusal when a cap is reached. The kiosk's own screen (`screen`) counts only against the
 * overall cap, so no network caller can take its streams away.
 */
export class StreamCounter {
  private total = 0;
  private network = 0;
  private readonly perClient = new Map<string, number>();

  constructor(private readonly limits: Pick<Limits, 'maxStreams' | 'maxNetworkStreams' | 'maxStreamsPerClient'> = LIMITS) {}

  open(clientKey: string, origin: 'screen' | 'network'): (() => void) | Refusal {
    if (this.total >= this.limits.maxStreams) return tooManyStreams('The kiosk has too many live connections open right now.');
    if (origin === 'network') {
      if (this.network >= this.limits.maxNetworkStreams) return tooManyStreams('The kiosk has too many live connections open right now.');
      const mine = this.perClient.get(clientKey) ?? 0;
      if (mine >= this.limits.maxStreamsPerClient) {
        return tooManyStreams(`This device has ${mine} live connections open already; close a screen and try again.`);
      }
      this.perClient.set(clientKey, mine + 1);
      this.network++;
    }
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      if (origin !== 'network') return;
      this.network--;
      const left = (this.perClient.get(clientKey) ?? 1) - 1;
      if (left > 0) this.perClient.set(clientKey, left);
      else this.perClient.delete(clientKey);
    };
  }

  get counts(): { total: number; network: number; clients: number } {
    return { total: this.total, network: this.network, clients: this.perClient.size };
  }
}

const tooManyStreams = (message: string): Refusal => ({ status: 429, code: 'TOO_MANY_REQUESTS', message });

/** The JSON body tRPC clients understand as an error (httpLink reads `error.message` and `error.data.code`). */
export function refusalBody(refusal: Refusal, path?: string): string {
  return JSON.stringify({
    error: {
      message: refusal.message,
      code: TRPC_ERROR_CODES_BY_KEY[refusal.code],
      data: { code: refusal.code, httpStatus: refusal.status, ...(path ? { path } : {}) },
    },
  });
}

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
