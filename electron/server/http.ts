import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { bearerToken, createApiContext } from '../api/context';
import type { BootedKiosk } from './boot';
import { createFastTrpcHandler } from './trpc-fast';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface HttpOptions {
  /** Folder of the built renderer to serve beside /trpc, if any. */
  staticDir?: string;
}

/**
 * The HTTP adapter: tRPC at /trpc (SSE for subscriptions) and the built renderer elsewhere.
 * Browsers from another origin are refused, so a web page on the lot's network cannot drive
 * the kiosk's API through a staff member's browser.
 */
export function createKioskHttpServer(kiosk: BootedKiosk, options: HttpOptions = {}): Server {
  const trpc = createHTTPHandler({
    router: kiosk.router,
    basePath: '/trpc/',
    createContext: ({ req, info }) => {
      const fromParams = info.connectionParams?.token;
      const token = bearerToken(req.headers.authorization) ?? (typeof fromParams === 'string' ? fromParams : undefined);
      // TODO(issue 9): 'screen' only for a loopback socket with a loopback Host header.
      // (Stop-gap in the net-auth branch; the HTTP-layer branch owns the real check.)
      const remote = req.socket.remoteAddress ?? 'unknown';
      const loopbackSocket = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
      const loopbackHost = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(req.headers.host ?? '');
      return createApiContext(kiosk.env, token, remote, loopbackSocket && loopbackHost ? 'screen' : 'network');
    },
  });
  // Queries and mutations without tRPC's Fetch round trip; SSE and the unusual go to `trpc`.
  const fastTrpc = createFastTrpcHandler({ router: kiosk.router, fallback: trpc, createContext: (req) =>
    createApiContext(kiosk.env, bearerToken(req.headers.authorization), req.socket.remoteAddress ?? 'unknown', 'network') });
  const staticDir = options.staticDir && existsSync(options.staticDir) ? resolve(options.staticDir) : undefined;

  return createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.url?.startsWith('/trpc/')) {
      if (!sameOrigin(req)) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Cross-origin requests are not allowed.', code: 'FORBIDDEN' } }));
        return;
      }
      fastTrpc(req, res);
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    serveStatic(staticDir, req, res);
  });
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function serveStatic(root: string | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (!root || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(root ? 'Not found' : 'The kiosk screens are not built yet: run `npm run build:web`.');
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let file = normalize(join(root, path));
  if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
