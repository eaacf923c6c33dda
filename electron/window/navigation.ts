/**
 * Where a kiosk window may go. The renderer is served from the app's own origin (the
 * `kiosk://app` scheme in a build, the electron-vite dev server in development); anything
 * else — a link in a booking note, a redirect, a `window.open` — stays out of the kiosk.
 */
export const APP_SCHEME = 'kiosk';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The origins a kiosk window may show: the app itself, plus the dev server when there is one. */
export function allowedOrigins(devServerUrl: string | undefined): string[] {
  const origins = [APP_ORIGIN];
  const dev = devServerUrl ? originOf(devServerUrl) : null;
  if (dev && isLoopbackHttp(dev)) origins.push(dev);
  return origins;
}

/** True when `url` belongs to one of `origins` (same scheme, host and port; path and hash are free). */
export function isAllowedNavigation(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}

/** The URL a window should load for a screen: the kiosk is `/`, the staff console is `#/staff`. */
export function screenUrl(base: string, screen: 'kiosk' | 'staff'): string {
  const url = new URL(base);
  url.hash = screen === 'staff' ? '#/staff' : '';
  return url.toString();
}

/**
 * `new URL(x).origin` is "null" for custom schemes that are not registered as standard in
 * this process (plain Node in tests), so the origin is rebuilt from its parts.
 */
function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username || parsed.password) return null;
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (!['http', 'https', APP_SCHEME].includes(scheme) || !parsed.host) return null;
  return `${scheme}://${parsed.host.toLowerCase()}`;
}

function isLoopbackHttp(origin: string): boolean {
  return /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin);
}
