import { request } from 'node:http';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with the path sent exactly as given (no URL normalisation, unlike fetch)
 * and any Host header. Resolves with status 0 and the error text when the connection fails.
 */
export function raw(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path,
        headers: { host: url.host, ...options.headers },
        localAddress: options.localAddress,
        setHost: false,
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
        res.on('error', (error) => resolve({ status: 0, headers: {}, body: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, headers: {}, body: String(error) }));
    req.end(options.body);
  });
}

/**
 * A folder laid out as an attacker hopes: `web/` is the static root (index.html, assets, a
 * dotfile, a symlink pointing out), and beside it a secret file, a look-alike folder
 * `web-private/` and the database (`kiosk.db`, so its -wal sits there too).
 */
export function staticFixture(): { dir: string; root: string; dbFile: string; secret: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-static-'));
  const root = join(dir, 'web');
  const secret = `TOP-SECRET-${Math.random().toString(36).slice(2)}`;
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'web-private'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>kiosk</title><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("kiosk");');
  writeFileSync(join(root, '.env'), secret);
  writeFileSync(join(dir, 'secret.txt'), secret);
  writeFileSync(join(dir, 'web-private', 'secret.txt'), secret);
  symlinkSync(join(dir, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(dir, join(root, 'up'));
  return { dir, root, dbFile: join(dir, 'kiosk.db'), secret };
}

/** A leaked file: the secret, or any SQLite file (the database, its WAL). */
export const leaks = (body: string, secret: string): boolean => body.includes(secret) || body.startsWith('SQLite format 3') || body.startsWith('\x37\x7f\x06');

export interface RawStream {
  status: number;
  /** Everything received so far (headers excluded). */
  text(): string;
  closed(): boolean;
  /** Waits until `test(text)` holds or the stream closes; false on timeout. */
  until(test: (text: string) => boolean, timeoutMs?: number): Promise<boolean>;
  close(): void;
}

/** Opens a GET that stays open (SSE) and collects what arrives. */
export function rawStream(baseUrl: string, path: string, options: { headers?: Record<string, string>; localAddress?: string } = {}): Promise<RawStream> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path,
      headers: { host: url.host, accept: 'text/event-stream', ...options.headers },
      localAddress: options.localAddress,
      setHost: false,
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      let closed = false;
      const listeners = new Set<() => void>();
      const notify = () => listeners.forEach((fn) => fn());
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        notify();
      });
      res.on('close', () => {
        closed = true;
        notify();
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        text: () => text,
        closed: () => closed,
        until: (test, timeoutMs = 15_000) =>
          new Promise((done) => {
            const check = () => {
              if (test(text)) finish(true);
              else if (closed) finish(test(text));
            };
            const timer = setTimeout(() => finish(false), timeoutMs);
            const finish = (ok: boolean) => {
              clearTimeout(timer);
              listeners.delete(check);
              done(ok);
            };
            listeners.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}
