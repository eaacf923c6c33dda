import { X509Certificate } from 'node:crypto';
import { Agent, request, type AgentOptions } from 'node:https';
import { Readable } from 'node:stream';
import { connect, type PeerCertificate } from 'node:tls';

/** The hub a satellite trusts: exactly one certificate, learnt at pairing (docs/pairing.md). */
export interface HubPin {
  /** SHA-256 fingerprint, `AB:CD:…` as Node's `fingerprint256`. */
  fingerprint: string;
  /** The hub's certificate (PEM), the only trust anchor; its fingerprint must be `fingerprint`. */
  certificate: string;
}

const sameFingerprint = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

export class HubIdentityError extends Error {
  constructor(
    readonly seen: string | null,
    readonly pinned: string,
  ) {
    super(`The hub presented certificate ${seen ?? '(none)'}, not the pinned ${pinned}: refusing to talk to it.`);
    this.name = 'HubIdentityError';
  }
}

/**
 * An https.Agent that accepts ONLY the pinned certificate: it is the sole `ca` (so a
 * self-signed certificate verifies and no public CA is trusted) and checkServerIdentity
 * compares fingerprints instead of host names (a hub is reached by IP on a LAN).
 */
export function pinnedAgent(pin: HubPin, options: AgentOptions = {}): Agent {
  const own = new X509Certificate(pin.certificate).fingerprint256;
  if (!sameFingerprint(own, pin.fingerprint)) throw new Error('The stored hub certificate does not match its pinned fingerprint (hub.json was altered).');
  return new Agent({
    keepAlive: true,
    ...options,
    ca: pin.certificate,
    rejectUnauthorized: true,
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert?.fingerprint256 && sameFingerprint(cert.fingerprint256, pin.fingerprint)
        ? undefined
        : new HubIdentityError(cert?.fingerprint256 ?? null, pin.fingerprint),
  });
}

/**
 * A `fetch` for the hub over the pinned agent (for tRPC's httpLink / httpSubscriptionLink
 * `fetch` option): node:https underneath, the body streamed, so SSE works too.
 */
export function pinnedFetch(pin: HubPin, agent: Agent = pinnedAgent(pin)): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.protocol !== 'https:') return reject(new Error('The hub is reached over HTTPS only.'));
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      const req = request(url, { method: init?.method ?? 'GET', agent, headers: Object.fromEntries(headers) }, (res) => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
          else if (value !== undefined) responseHeaders.set(name, value);
        }
        const status = res.statusCode ?? 502;
        const body = status === 204 || status === 304 || init?.method === 'HEAD' ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, statusText: res.statusMessage, headers: responseHeaders }));
      });
      const signal = init?.signal;
      if (signal) {
        if (signal.aborted) req.destroy(new DOMException('Aborted', 'AbortError'));
        signal.addEventListener('abort', () => req.destroy(new DOMException('Aborted', 'AbortError')), { once: true });
      }
      req.on('error', reject);
      const payload = init?.body;
      if (payload === undefined || payload === null) req.end();
      else if (typeof payload === 'string' || payload instanceof Uint8Array) req.end(payload);
      else reject(new Error('pinnedFetch sends string or byte bodies only.'));
    });
}

/**
 * Trust on first use, for pairing only: connects without verifying and reports the
 * certificate the other end presents. The pairing proof binds that fingerprint, so a man in
 * the middle is caught by the hub (docs/pairing.md); nothing secret is sent on this socket.
 */
export function probeHubCertificate(hubUrl: string, timeoutMs = 10_000): Promise<HubPin> {
  const url = new URL(hubUrl);
  if (url.protocol !== 'https:') return Promise.reject(new Error(`The hub address must start with https:// (got ${url.protocol}//).`));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(url.port || 443), rejectUnauthorized: false, servername: isIpLiteral(host) ? undefined : host });
    const timer = setTimeout(() => socket.destroy(new Error(`The hub at ${url.host} did not answer within ${timeoutMs / 1000} s.`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.raw) return reject(new Error('The hub presented no certificate.'));
      const pem = `-----BEGIN CERTIFICATE-----\n${cert.raw
        .toString('base64')
        .match(/.{1,64}/g)!
        .join('\n')}\n-----END CERTIFICATE-----\n`;
      resolve({ fingerprint: cert.fingerprint256, certificate: pem });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const isIpLiteral = (host: string) => /^[0-9.]+$/.test(host) || host.includes(':');
