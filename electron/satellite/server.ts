import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { bearerToken } from '../api/context';
import type { AdjustableClock, Clock } from '../core/shared/clock';
import { isLoopbackHost, sameOrigin } from '../server/hosts';
import { createStaticHandler } from '../server/static';
import { createHandover } from './handover';
import type { HubClient } from './hub-client';
import type { Journal } from './journal';
import type { SatelliteLink } from './link';
import { ALWAYS_LOCAL, OFFLINE_CAPABLE, satelliteRouter, type SatelliteContext } from './local-router';

const BASE = '/trpc/';
/** A refusal in tRPC's error shape, so the screen's client reads its code (and reason) as from the hub. */
function refuse(res: ServerResponse, refusal: { status: number; rpcCode: number; code: string; reason?: string; message: string; path: string }): void {
  const { status, rpcCode, code, reason, message, path } = refusal;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, code: rpcCode, data: { code, httpStatus: status, ...(reason ? { reason } : {}), path } } }));
}

/** The hub's procedures only the satellite's own link calls (electron/api/routers/hub.ts). */
const LINK_ONLY_PREFIX = 'hub.';
const MAX_BODY = 1024 * 1024;

export interface SatelliteServerOptions {
  journal: Journal;
  link: SatelliteLink;
  hub: HubClient;
  clock: Clock;
  testClock?: AdjustableClock;
  tokenSecret: Buffer;
  staticDir?: string;
}

/**
 * A satellite kiosk's own server (issue 14): the renderer and, at /trpc, the hub's router as
 * the screen knows it. While on line every call is relayed to the hub (SSE streams included,
 * so the map is the hub's, live); a call that cannot reach the hub switches the kiosk off line
 * at once and is answered from the journal (local-router.ts).
 */
export function createSatelliteServer(options: SatelliteServerOptions): Server {
  const serveStatic = createStaticHandler(options.staticDir);
  const handover = createHandover({ ...options, now: () => options.clock.now() });
  // A screen's live streams (slot map, booking, lot feed) come from the hub or from the journal,
  // whichever answered when the screen asked. When the hub comes back, the journal's end; when
  // it goes, the hub's (a black-holed link would leave them silent); the screen's client opens
  // each again from what answers now: the map is the hub's again within a reconnect, and a
  // confirmation follows its sale to the hub (handover.ts).
  const streams = { hub: new Set<ServerResponse>(), journal: new Set<ServerResponse>() };
  const track = (req: IncomingMessage, res: ServerResponse, source: keyof typeof streams) => {
    // An EventSource asks for a stream (tRPC's subscriptions are SSE).
    if (!String(req.headers.accept ?? '').includes('text/event-stream') || res.destroyed) return;
    streams[source].add(res);
    res.on('close', () => streams[source].delete(res));
  };
  options.link.onReachChange((online) => {
    for (const res of streams[online ? 'journal' : 'hub']) res.destroy();
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[satellite] request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"Internal error."}}');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const url = req.url ?? '/';
    if (url === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    // This server is its own screen's, on loopback: a page reached under another name (DNS
    // rebinding) is not this kiosk's screen.
    if (!isLoopbackHost(req.headers.host))
      return void res.writeHead(421, { 'content-type': 'application/json' }).end('{"error":{"message":"This kiosk answers its own screen only."}}');
    if (!url.startsWith(BASE)) return serveStatic(req, res);
    if (!sameOrigin(req))
      return void res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":{"message":"Cross-origin requests are not allowed."}}');
    const body = await readBody(req);
    if (body === null) return void res.writeHead(413, { connection: 'close' }).end();
    // Decoded as the hub decodes it, so `%68ub.replay` is seen for what it is.
    let paths: string[];
    try {
      paths = decodeURIComponent(new URL(url, 'http://satellite.invalid').pathname.slice(BASE.length)).split(',');
    } catch {
      return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"Malformed request path."}}');
    }
    // The hub's satellite procedures (lease, replay, release) are this kiosk's own link, made
    // with its credential: a screen never reaches them through it, on line or off.
    if (paths.some((path) => path.startsWith(LINK_ONLY_PREFIX))) {
      return refuse(res, { status: 403, rpcCode: -32003, code: 'FORBIDDEN', message: 'This kiosk does not relay that call.', path: paths.join(',') });
    }
    const local = paths.every((path) => ALWAYS_LOCAL.has(path));
    if (!local && options.link.online) {
      const decision = await handover.decide(req, body);
      if (decision.kind === 'journal' && decision.hubUnreachable) options.link.markUnreachable();
      if (decision.kind !== 'journal') {
        if (await options.hub.forward(req, body, res, decision.kind === 'rewritten' ? decision.request : undefined)) return track(req, res, 'hub');
        options.link.markUnreachable();
      }
    }
    if (!local && !paths.every((path) => OFFLINE_CAPABLE.has(path))) {
      return refuse(res, {
        status: 503,
        rpcCode: -32603,
        code: 'SERVICE_UNAVAILABLE',
        reason: 'HUB_UNREACHABLE',
        message: 'This needs the lot’s main kiosk, which cannot be reached right now.',
        path: paths.join(','),
      });
    }
    track(req, res, 'journal');
    await answerLocally(req, body, res);
  }

  async function answerLocally(req: IncomingMessage, rawBody: Buffer, res: ServerResponse): Promise<void> {
    if (res.destroyed) return;
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const named = handover.forJournal(req, rawBody);
    const body = named?.body ?? rawBody;
    const request = new Request(new URL(named?.url ?? req.url ?? '/', 'http://satellite.local'), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
      signal: controller.signal,
    });
    const answer = await fetchRequestHandler({
      endpoint: '/trpc',
      req: request,
      router: satelliteRouter,
      createContext: ({ info }): SatelliteContext => {
        const fromParams = info.connectionParams?.token;
        return {
          journal: options.journal,
          link: options.link,
          clock: options.clock,
          testClock: options.testClock,
          token: bearerToken(req.headers.authorization) ?? (typeof fromParams === 'string' ? fromParams : undefined),
          tokenSecret: options.tokenSecret,
        };
      },
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    if (!answer.body) return void res.end();
    Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream).pipe(res);
  }

  return server;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
