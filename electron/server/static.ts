import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The screens load only their own scripts and styles, talk only to this server, and may not be framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built renderer from `dir`: only regular files whose real path (symlinks resolved)
 * lies under the real root, never a dotfile, never anything reached through an encoded
 * separator, a NUL or a `..` segment. An extension-less path that is not a file is a screen
 * route of the single-page app and gets `index.html`; anything else that is missing is a 404.
 */
export function createStaticHandler(dir: string | undefined): (req: IncomingMessage, res: ServerResponse) => void {
  const root = dir && existsSync(dir) ? realpathSync(dir) : undefined;
  return (req, res) => {
    if (!root) return plain(res, 404, 'The kiosk screens are not built yet: run `npm run build:web`.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed');
    }
    const segments = pathSegments(req.url ?? '/');
    if (!segments) return plain(res, 400, 'Bad request');
    void resolveFile(root, segments)
      .then((file) => {
        if (file) return sendFile(req, res, file);
        const last = segments.at(-1) ?? '';
        if (extname(last) === '') return resolveFile(root, ['index.html']).then((index) => (index ? sendFile(req, res, index) : plain(res, 404, 'Not found')));
        plain(res, 404, 'Not found');
      })
      .catch(() => plain(res, 404, 'Not found'));
  };
}

/**
 * The decoded path segments of a request target, or null when it is malformed or unsafe:
 * bad percent-encoding, an encoded `/` or `\`, a NUL or other control character, a backslash,
 * a `.`/`..` segment or a dotfile.
 */
export function pathSegments(url: string): string[] | null {
  const raw = url.split(/[?#]/, 1)[0] ?? '';
  if (!raw.startsWith('/') || /%(2f|5c|00)/i.test(raw) || raw.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  return segments;
}

/** The real path of a regular file under `root`, or null. */
async function resolveFile(root: string, segments: string[]): Promise<string | null> {
  if (segments.length === 0) segments = ['index.html'];
  let real: string;
  try {
    real = await realpath(join(root, ...segments));
  } catch {
    return null;
  }
  if (!real.startsWith(root + sep)) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? real : null;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.endsWith(`${sep}index.html`) ? 'no-cache' : 'public, max-age=31536000, immutable',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
  });
  if (req.method === 'HEAD') return void res.end();
  // pipeline ends or destroys both sides on any error (file vanished, client gone): nothing throws.
  pipeline(createReadStream(file), res, () => undefined);
}

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
