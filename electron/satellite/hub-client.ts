import {
  request as httpRequest,
  type Agent,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestOptions,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RELAY_HEADER, SATELLITE_HEADER } from '../api/context';
import type { LeaseGrant } from '../core/leases/rules';
import type { JournalEvent, ReplayOutcome } from '../core/leases/journal-events';
import type { SatelliteReport } from '../core/pairing/satellites';
import { pinnedAgent } from './hub-tls';

/**
 * Everything a satellite says to its hub goes through here (issue 14), so the transport is in
 * one place: HTTPS to a paired hub, through an agent that accepts only the certificate pinned
 * at pairing (hub-tls.ts); plain HTTP only for a hub URL given as http:// (tests on loopback,
 * a lab set-up). Every call has a deadline: a hub that is stopped (SIGSTOP) or black-holed
 * counts as unreachable after `timeoutMs`, never as a call that hangs the satellite.
 */
export interface HubClientOptions {
  url: string;
  credential: string;
  /** SHA-256 fingerprint of the hub's certificate, pinned at pairing. */
  fingerprint?: string;
  /** The hub's certificate (PEM) from pairing: the only trust anchor for an https:// hub. */
  certificate?: string;
  timeoutMs?: number;
  /** The Host header to send when the hub is reached through a port forward (its own name and port); default the URL's. */
  hostHeader?: string;
}

export interface HubClient {
  readonly url: string;
  lease(report: SatelliteReport): Promise<LeaseGrant>;
  replay(events: readonly JournalEvent[]): Promise<{ outcomes: ReplayOutcome[] }>;
  release(): Promise<void>;
  /** A plain query on the hub's router (e.g. the slot map to keep for when the hub is gone). */
  query<T>(path: string, input?: unknown): Promise<T>;
  /**
   * Relays one screen request (body already read) to the hub and streams the answer back
   * (SSE included). Resolves false, having written nothing, if the hub could not be reached:
   * the caller answers from the journal instead.
   */
  forward(req: IncomingMessage, body: Buffer, res: ServerResponse, relayed?: RelayedRequest): Promise<boolean>;
}

/** What the satellite changed of a screen's call before relaying it (handover.ts). */
export interface RelayedRequest {
  url: string;
  authorization: string | undefined;
  body: Buffer;
}

export class HubUnreachable extends Error {}

/** Headers that describe the screen's own connection, not the call: never relayed. */
const HOP_HEADERS = new Set([
  'host',
  'origin',
  'referer',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'cookie',
  SATELLITE_HEADER,
  RELAY_HEADER,
]);

export function createHubClient(options: HubClientOptions): HubClient {
  const base = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 3_000;
  const host = options.hostHeader ?? base.host;
  const tls = base.protocol === 'https:';
  if (tls && (!options.fingerprint || !options.certificate)) {
    throw new Error('An https:// hub needs the certificate and fingerprint pinned at pairing: pair this kiosk again (--pair CODE).');
  }
  const agent: Agent | undefined = tls ? pinnedAgent({ fingerprint: options.fingerprint!, certificate: options.certificate! }) : undefined;
  /** node:http or node:https with the pinned agent: the one place a request to the hub is made. */
  const send = (url: URL, requestOptions: RequestOptions, onResponse?: (res: IncomingMessage) => void): ClientRequest =>
    tls ? httpsRequest(url, { ...requestOptions, agent }, onResponse) : httpRequest(url, requestOptions, onResponse);

  function call(method: 'GET' | 'POST', path: string, body: string | undefined): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = send(
        new URL(path, base),
        {
          method,
          headers: {
            host,
            [SATELLITE_HEADER]: options.credential,
            ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (error) => reject(new HubUnreachable(error.message)));
        },
      );
      const timer = setTimeout(() => req.destroy(new HubUnreachable(`no answer in ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new HubUnreachable(`no answer in ${timeoutMs} ms`)));
      req.on('error', (error) => reject(error instanceof HubUnreachable ? error : new HubUnreachable(error.message)));
      req.end(body);
    });
  }

  async function trpc<T>(method: 'GET' | 'POST', path: string, input: unknown): Promise<T> {
    const url = method === 'GET' ? `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}` : `/trpc/${path}`;
    const { status, text } = await call(method, url, method === 'POST' ? JSON.stringify(input ?? null) : undefined);
    let parsed: { result?: { data: T }; error?: { message: string; data?: { code?: string } } };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HubUnreachable(`the hub answered ${status} without JSON`);
    }
    if (parsed.error) throw Object.assign(new Error(parsed.error.message), { code: parsed.error.data?.code ?? 'INTERNAL_SERVER_ERROR', status });
    return parsed.result!.data;
  }

  return {
    url: options.url,
    lease: (report) => trpc('POST', 'hub.lease', { report }),
    replay: (events) => trpc('POST', 'hub.replay', { events }),
    release: async () => {
      await trpc('POST', 'hub.release', undefined);
    },
    query: (path, input) => trpc('GET', path, input),
    forward(req, rawBody, res, relayed) {
      const body = relayed?.body ?? rawBody;
      return new Promise((resolve) => {
        // Marked as relayed: the hub lends the credential to the screen's booking limits only.
        const headers: OutgoingHttpHeaders = { host, [SATELLITE_HEADER]: options.credential, [RELAY_HEADER]: 'screen' };
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined && !HOP_HEADERS.has(name) && !name.startsWith('sec-fetch-')) headers[name] = value;
        }
        if (relayed?.authorization !== undefined) headers.authorization = relayed.authorization;
        if (body.length > 0) headers['content-length'] = body.length;
        const target = new URL(relayed?.url ?? req.url ?? '/', base);
        // Only ever to the hub: a path such as `//elsewhere/…` names another origin.
        if (target.origin !== base.origin) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"Malformed request path."}}');
          return resolve(true);
        }
        const upstream = send(target, { method: req.method, headers });
        // The deadline is for the hub to start answering; a live stream then runs as long as it lasts.
        const timer = setTimeout(() => upstream.destroy(new HubUnreachable('no answer')), timeoutMs);
        upstream.on('response', (answer) => {
          clearTimeout(timer);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          res.on('close', () => upstream.destroy());
          answer.on('error', () => res.destroy());
          resolve(true);
        });
        upstream.on('error', () => {
          clearTimeout(timer);
          if (res.headersSent) res.destroy();
          resolve(res.headersSent);
        });
        upstream.end(body);
      });
    },
  };
}
