import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { bearerToken, createApiContext, RELAY_HEADER, satelliteCredentialOf, SATELLITE_HEADER, type ClientOrigin } from '../api/context';
import type { BootedKiosk } from '../app/boot';
import { allowedHostsFromEnv, HostPolicy, isLoopbackAddress, isLoopbackHost, sameOrigin } from './hosts';
import { checkBatch, checkDeclaredBody, checkUrl, LIMITS, refusalBody, StreamCounter, type Limits, type Refusal } from './limits';
import { createLeanSse, type LeanSse } from './sse';
import { createStaticHandler } from './static';
import { createFastTrpcHandler } from './trpc-fast';

export interface HttpOptions {
  /** Folder of the built renderer to serve beside /trpc, if any. */
  staticDir?: string;
  /** The address given with `--host`; its name (or, for 0.0.0.0, this machine's addresses) is an allowed Host. */
  bindHost?: string;
  /** More allowed Host names; defaults to `KIOSK_ALLOWED_HOSTS`. */
  allowedHosts?: readonly string[];
  limits?: Limits;
  /** Serve shared-feed subscriptions through the lean SSE writer (sse.ts); default true. */
  leanSse?: boolean;
  /**
   * Serve HTTPS with this key and certificate (a hub: electron/server/tls.ts) instead of plain
   * HTTP. Same handlers, same limits.
   */
  tls?: { key: string; cert: string };
}

/** A screen's call relayed by a satellite (it sets the header itself; see ApiContext.relayed). */
const isRelayed = (req: IncomingMessage) => req.headers[RELAY_HEADER] !== undefined;
const BASE = '/trpc/';

/**
 * The HTTP adapter: tRPC at /trpc (SSE for subscriptions) and the built renderer elsewhere.
 * On every route it answers only the Host names it was started for (DNS rebinding), and it
 * refuses cross-origin browser calls, so a web page cannot drive the kiosk's API through a
 * staff member's browser. Limits (batch, body, URL, live streams) are checked before tRPC
 * sees the request; see limits.ts.
 */
export function createKioskHttpServer(kiosk: BootedKiosk, options: HttpOptions = {}): Server {
  const limits = options.limits ?? LIMITS;
  const streams = new StreamCounter(limits);
  const procedures = (kiosk.router as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures;
  const isSubscription = (path: string) => procedures[path]?._def.type === 'subscription';
  /**
   * connectionParams exist because EventSource cannot send headers: they authorize a
   * subscription only, never a plain GET (where they would be a token in a URL).
   */
  const contextFor = (req: IncomingMessage, subscriptionParams: Record<string, string | undefined> | null | undefined) => {
    const fromParams = subscriptionParams?.token;
    const token = bearerToken(req.headers.authorization) ?? (typeof fromParams === 'string' ? fromParams : undefined);
    return createApiContext(kiosk.env, token, clientKeyOf(req), originOf(req), satelliteCredentialOf(req.headers[SATELLITE_HEADER]), isRelayed(req));
  };
  const trpc = createHTTPHandler({
    router: kiosk.router,
    basePath: BASE,
    maxBodySize: limits.maxBodyBytes,
    createContext: ({ req, info }) => contextFor(req, info.type === 'subscription' ? info.connectionParams : undefined),
  });
  // Shared-feed subscriptions (booking.watch, slot.watch) skip tRPC's per-stream SSE machinery.
  const lean =
    options.leanSse === false ? undefined : createLeanSse({ router: kiosk.router, createContext: contextFor, maxBacklogBytes: limits.maxStreamBacklogBytes });
  const serveStatic = createStaticHandler(options.staticDir);
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    try {
      handle(req, res);
    } catch (error) {
      // Nothing a request carries may stop the kiosk; this is the last line, not the first.
      console.error('[http] request failed:', error);
      send(res, { status: 400, code: 'BAD_REQUEST', message: 'Bad request.' }, req.url?.startsWith(BASE));
    }
  };
  // An https.Server has every method callers use (listen, address, close, closeAllConnections).
  const server: Server = options.tls
    ? (createTlsServer({ key: options.tls.key, cert: options.tls.cert }, listener) as unknown as Server)
    : createServer(listener);
  const hosts = new HostPolicy({
    port: () => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : -1;
    },
    bindHost: options.bindHost,
    extraHosts: options.allowedHosts ?? allowedHostsFromEnv(),
  });
  // Requests Node cannot parse never reach the handler: answer them plainly and close.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  // Queries and mutations answered from node:http directly (no Fetch round trip); SSE and the
  // unusual go to tRPC's standalone handler. Same context, same limits.
  const fastTrpc = createFastTrpcHandler({
    router: kiosk.router,
    fallback: trpc,
    maxBodySize: limits.maxBodyBytes,
    maxBatchSize: limits.maxBatch,
    createContext: (req) =>
      createApiContext(
        kiosk.env,
        bearerToken(req.headers.authorization),
        clientKeyOf(req),
        originOf(req),
        satelliteCredentialOf(req.headers[SATELLITE_HEADER]),
        isRelayed(req),
      ),
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const url = req.url ?? '/';
    const isApi = url.startsWith(BASE);
    const early = checkUrl(url, limits) ?? (hosts.allows(req.headers.host) ? null : unknownHost);
    if (early) return send(res, early, isApi);
    if (isApi) {
      if (!sameOrigin(req)) return send(res, crossOrigin, true);
      const parsed = new URL(url, 'http://kiosk.invalid');
      const path = parsed.pathname.slice(BASE.length);
      const refusal = checkBatch(path, parsed.searchParams, limits) ?? (req.method === 'GET' ? null : checkDeclaredBody(req.headers, limits));
      if (refusal) return send(res, refusal, true, path);
      if (req.method === 'GET' && isSubscription(path)) {
        const release = streams.open(clientKeyOf(req), originOf(req));
        if (typeof release !== 'function') return send(res, release, true, path);
        res.once('close', release);
        if (lean) return serveSubscription(lean, req, res, path, parsed.searchParams);
      }
      fastTrpc(req, res);
      return;
    }
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    serveStatic(req, res);
  }

  /** The lean path, or tRPC's standalone handler for what the lean path does not serve. */
  function serveSubscription(sse: LeanSse, req: IncomingMessage, res: ServerResponse, path: string, search: URLSearchParams): void {
    sse.serve(req, res, path, search).then(
      (served) => {
        if (!served) trpc(req, res);
      },
      (error: unknown) => {
        console.error('[http] subscription failed:', error);
        if (!res.headersSent) trpc(req, res);
        else res.destroy();
      },
    );
  }

  return server;
}

const unknownHost: Refusal = { status: 403, code: 'FORBIDDEN', message: 'This server does not answer to that host name.' };
const crossOrigin: Refusal = { status: 403, code: 'FORBIDDEN', message: 'Cross-origin requests are not allowed.' };

function send(res: ServerResponse, refusal: Refusal, asJson = false, path?: string): void {
  if (res.headersSent) return void res.destroy();
  // The request may still be sending a body we will not read: close once answered.
  res.setHeader('connection', 'close');
  if (asJson) {
    res.writeHead(refusal.status, { 'content-type': 'application/json' });
    res.end(refusalBody(refusal, path));
  } else {
    res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(refusal.message);
  }
}

/** The remote address, without the IPv4-mapped prefix, identifies a client for caps and throttles. */
const clientKeyOf = (req: IncomingMessage): string => (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/i, '');

/**
 * `screen` only when both ends say "this machine": a loopback socket (nobody else can open
 * one) and a loopback Host (not a rebinding page, which arrives under its own name).
 */
const originOf = (req: IncomingMessage): ClientOrigin =>
  isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host) ? 'screen' : 'network';
