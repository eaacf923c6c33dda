import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** The hub's TLS identity: a self-signed certificate made on first start and kept in the data folder. */
export interface HubCertificate {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, `AB:CD:…` (Node's `fingerprint256`): what satellites pin. */
  fingerprint256: string;
  keyFile: string;
  certFile: string;
  created: boolean;
}

export const HUB_KEY_FILE = 'hub-tls.key';
export const HUB_CERT_FILE = 'hub-tls.crt';

/** Twenty years: a kiosk must not stop talking to its satellites because a year went by. */
const VALID_FOR_MS = 20 * 365 * 24 * 60 * 60_000;

export const fingerprintOf = (certPem: string): string => new X509Certificate(certPem).fingerprint256;

/**
 * Loads `<dataDir>/hub-tls.{key,crt}`, or creates them (EC P-256, SHA-256) when absent. The
 * key file is 0600. Names in the certificate do not matter for trust (satellites pin the
 * fingerprint), but they make a browser's warning page show the right machine.
 */
export async function loadOrCreateHubCertificate(dataDir: string): Promise<HubCertificate> {
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dataDir, HUB_KEY_FILE);
  const certFile = join(dataDir, HUB_CERT_FILE);
  if (existsSync(keyFile) && existsSync(certFile)) {
    const key = readFileSync(keyFile, 'utf8');
    const cert = readFileSync(certFile, 'utf8');
    chmodSync(keyFile, 0o600);
    return { key, cert, fingerprint256: fingerprintOf(cert), keyFile, certFile, created: false };
  }
  const notBeforeDate = new Date(Date.now() - 24 * 60 * 60_000); // a satellite whose clock is a little behind still accepts it
  const pems = await generate([{ name: 'commonName', value: `parking-kiosk hub ${hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + VALID_FOR_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: subjectAltNames() },
    ],
  });
  // Write to a temporary name, then rename: a crash never leaves half a key behind.
  writeFileSync(`${keyFile}.tmp`, pems.private, { mode: 0o600 });
  chmodSync(`${keyFile}.tmp`, 0o600);
  writeFileSync(`${certFile}.tmp`, pems.cert, { mode: 0o644 });
  renameSync(`${keyFile}.tmp`, keyFile);
  renameSync(`${certFile}.tmp`, certFile);
  return { key: pems.private, cert: pems.cert, fingerprint256: fingerprintOf(pems.cert), keyFile, certFile, created: true };
}

function subjectAltNames(): { type: 2 | 7; value?: string; ip?: string }[] {
  const names: { type: 2 | 7; value?: string; ip?: string }[] = [{ type: 2, value: 'localhost' }];
  const host = hostname();
  if (/^[A-Za-z0-9.-]+$/.test(host)) names.push({ type: 2, value: host });
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (!info.address.startsWith('fe80')) names.push({ type: 7, ip: info.address });
  }
  return names;
}

/** The addresses a satellite can type, `https://ADDRESS:PORT`: this machine's non-internal IPv4 first, then loopback. */
export function hubAddresses(port: number, bindHost: string | undefined): string[] {
  const wildcard = !bindHost || bindHost === '0.0.0.0' || bindHost === '::';
  if (!wildcard) return [`https://${bindHost!.includes(':') ? `[${bindHost}]` : bindHost}:${port}`];
  const lan: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4' && !info.internal) lan.push(`https://${info.address}:${port}`);
  }
  return [...lan, `https://127.0.0.1:${port}`];
}
