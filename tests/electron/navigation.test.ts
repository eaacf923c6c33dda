import { describe, expect, it } from 'vitest';
import { APP_CSP, contentTypeOf, resolveAppFile } from '../../electron/window/app-protocol';
import { allowedOrigins, APP_ORIGIN, isAllowedNavigation, screenUrl } from '../../electron/window/navigation';

describe('navigation allow-list', () => {
  const built = allowedOrigins(undefined);
  const dev = allowedOrigins('http://localhost:5173/');

  it('allows the app itself, any screen and hash route', () => {
    expect(built).toEqual([APP_ORIGIN]);
    for (const url of ['kiosk://app/index.html', 'kiosk://app/index.html#/staff', 'KIOSK://APP/assets/x.js', 'kiosk://app/']) {
      expect(isAllowedNavigation(url, built), url).toBe(true);
    }
  });

  it('refuses the web, files, other hosts and look-alikes', () => {
    for (const url of [
      'https://example.com/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'kiosk://evil/index.html',
      'kiosk://app.evil.com/',
      'kiosk://app:8080/',
      'kiosk://user@app/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'chrome://settings',
      'not a url',
      '',
    ]) {
      expect(isAllowedNavigation(url, built), url).toBe(false);
    }
  });

  it('allows the dev server in development only when it is on this machine', () => {
    expect(isAllowedNavigation('http://localhost:5173/#/staff', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(allowedOrigins('http://192.168.1.20:5173/')).toEqual([APP_ORIGIN]);
    expect(allowedOrigins('http://127.0.0.1:4000')).toContain('http://127.0.0.1:4000');
  });

  it('builds the kiosk and staff screen URLs', () => {
    expect(screenUrl('kiosk://app/index.html', 'kiosk')).toBe('kiosk://app/index.html');
    expect(screenUrl('kiosk://app/index.html', 'staff')).toBe('kiosk://app/index.html#/staff');
    expect(screenUrl('http://localhost:5173', 'staff')).toBe('http://localhost:5173/#/staff');
  });
});

describe('the kiosk:// file resolver', () => {
  const root = '/opt/kiosk/out/renderer';
  const files = new Set([`${root}/index.html`, `${root}/assets/index-abc.js`, `${root}/assets/logo.svg`]);
  const exists = (file: string) => files.has(file);

  it('serves index.html for the root and for extension-less paths (hash-routed screens)', () => {
    expect(resolveAppFile('kiosk://app/', root, exists)).toBe(`${root}/index.html`);
    expect(resolveAppFile('kiosk://app/index.html#/staff', root, exists)).toBe(`${root}/index.html`);
    expect(resolveAppFile('kiosk://app/staff', root, exists)).toBe(`${root}/index.html`);
  });

  it('serves built assets and 404s missing ones', () => {
    expect(resolveAppFile('kiosk://app/assets/index-abc.js?v=1', root, exists)).toBe(`${root}/assets/index-abc.js`);
    expect(resolveAppFile('kiosk://app/assets/missing.js', root, exists)).toBeNull();
  });

  it('never leaves the renderer folder or answers another origin', () => {
    for (const url of [
      'kiosk://app/../../etc/passwd.txt',
      'kiosk://app/%2e%2e/%2e%2e/etc/passwd.txt',
      'kiosk://app/assets/..%2f..%2f..%2fsecret.db',
      'kiosk://app/%00.js',
      'kiosk://app/%E0%A4%A.js',
      'kiosk://other/index.html',
      'https://app/index.html',
    ]) {
      const file = resolveAppFile(url, root, () => true);
      if (file !== null) expect(file.startsWith(`${root}/`), `${url} → ${file}`).toBe(true);
      if (!url.startsWith('kiosk://app/')) expect(file, url).toBeNull();
    }
    // URL parsing folds a plain "../" into the root; an encoded one is caught after decoding.
    expect(resolveAppFile('kiosk://app/../../etc/passwd.txt', root, () => true)).toBe(`${root}/etc/passwd.txt`);
    expect(resolveAppFile('kiosk://app/', '/empty', () => false)).toBeNull();
    expect(resolveAppFile('kiosk://app/assets/..%2f..%2f..%2fsecret.db', root, () => true)).toBeNull();
  });

  it('labels content types and sends a CSP that only allows the app itself', () => {
    expect(contentTypeOf('/x/index.html')).toMatch(/text\/html/);
    expect(contentTypeOf('/x/a.JS')).toMatch(/javascript/);
    expect(contentTypeOf('/x/blob')).toBe('application/octet-stream');
    expect(APP_CSP).toContain("default-src 'self'");
    expect(APP_CSP).not.toMatch(/unsafe-eval|\*/);
  });
});
