import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Host names that always mean "this machine". */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

export interface HostPolicyOptions {
  /** The port the server really listens on (read after `listen`, so port 0 works). */
  port: () => number;
  /** `--host` as given: a name or address is allowed as a Host; a wildcard allows this machine's addresses. */
  bindHost?: string;
  /** More names or addresses, from `KIOSK_ALLOWED_HOSTS` (comma-separated) or a setting. */
  extraHosts?: readonly string[];
}

/**
 * Which `Host` headers the server answers. A DNS-rebinding page reaches the server under the
 * attacker's own name (`evil.example:PORT` resolved to 127.0.0.1 or the kiosk's address), so
 * answering only the names the server was started for shuts that door on every route. An IP
 * literal cannot be rebound, but we still allow only this machine's own addresses.
 */
export class HostPolicy {
  private readonly names = new Set(LOOPBACK_NAMES);
  private readonly wildcard: boolean;
  private interfaceNames: { at: number; names: Set<string> } | undefined;

  constructor(private readonly options: HostPolicyOptions) {
    const bind = options.bindHost?.trim().toLowerCase();
    this.wildcard = bind !== undefined && WILDCARDS.has(bind);
    if (bind && !this.wildcard) this.names.add(hostName(bind));
    for (const extra of options.extraHosts ?? []) if (extra.trim()) this.names.add(hostName(extra.trim().toLowerCase()));
  }

  /** True when `host` (the raw header) names this server: an allowed name with the server's port. */
  allows(host: string | undefined): boolean {
    const parsed = parseHost(host);
    if (!parsed || parsed.port !== this.options.port()) return false;
    return this.names.has(parsed.name) || (this.wildcard && this.machineNames().has(parsed.name));
  }

  private machineNames(): Set<string> {
    // Addresses change (DHCP); look again at most every 10 s.
    const now = Date.now();
    if (!this.interfaceNames || now - this.interfaceNames.at > 10_000) {
      const names = new Set<string>();
      for (const list of Object.values(networkInterfaces())) {
        for (const info of list ?? []) names.add(hostName(info.address.toLowerCase()));
      }
      this.interfaceNames = { at: now, names };
    }
    return this.interfaceNames.names;
  }
}

/** `[::1]` for an IPv6 address, the name itself otherwise (as it appears in a Host header). */
const hostName = (nameOrAddress: string): string => (isIP(nameOrAddress) === 6 ? `[${nameOrAddress}]` : nameOrAddress);

/** Splits a Host header into a lower-case name and a port (80 when absent). Null when malformed. */
export function parseHost(host: string | undefined): { name: string; port: number } | null {
  if (!host) return null;
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return null;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  return port > 65535 ? null : { name: match[1]!.toLowerCase(), port };
}

export const isLoopbackHost = (host: string | undefined): boolean => {
  const parsed = parseHost(host);
  return parsed !== null && LOOPBACK_NAMES.has(parsed.name);
};

export const isLoopbackAddress = (address: string | undefined): boolean =>
  address !== undefined && (address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address));

/**
 * Is this request from a page of this very server? A browser always sends `Origin` on a
 * cross-origin request and on every POST; a page elsewhere (or a sandboxed `null` origin) is
 * refused. A request without `Origin` comes from a program, not a web page, unless the browser's
 * `Sec-Fetch-Site` says otherwise; programs are held to the Host check instead.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

/** `KIOSK_ALLOWED_HOSTS=kiosk.lot,192.168.1.20` → the names to allow beside loopback and `--host`. */
export const allowedHostsFromEnv = (value = process.env.KIOSK_ALLOWED_HOSTS): string[] =>
  (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
