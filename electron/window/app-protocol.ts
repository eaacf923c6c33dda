import { extname, isAbsolute, join, normalize, relative } from 'node:path';
import { APP_ORIGIN } from './navigation';

/** The headers every app response carries: the renderer may load only its own files. */
export const APP_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export const contentTypeOf = (file: string): string => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * Maps a `kiosk://app/...` request to a file of the built renderer in `root`. Screens are
 * hash-routed, so "/" (and any path without a file extension) is index.html. Returns null for
 * another origin, for a path that escapes `root`, and for a missing asset, so the handler
 * answers 404 instead of serving something it should not.
 */
export function resolveAppFile(requestUrl: string, root: string, exists: (file: string) => boolean): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${url.protocol}//${url.host}`.toLowerCase() !== APP_ORIGIN) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = path === '/' || path === '' || extname(path) === '' ? join(root, 'index.html') : normalize(join(root, path));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return exists(file) ? file : null;
}
