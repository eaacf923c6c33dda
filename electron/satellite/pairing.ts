import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { hubProof, sameDigest, satelliteProof } from '../core/pairing/proof';
import { pinnedAgent, pinnedFetch, probeHubCertificate, type HubPin } from './hub-tls';

/** What a satellite keeps after pairing: `<data>/hub.json`, mode 0600. */
export interface HubLink extends HubPin {
  hubUrl: string;
  credential: string;
  satelliteId: string;
  name: string;
  pairedAt: string;
}

export const HUB_FILE = 'hub.json';

export class PairingError extends Error {
  constructor(
    message: string,
    readonly reason: string | undefined,
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

/**
 * Pairs this kiosk with a hub using the one-time code from the hub's console:
 *  1. connect with TLS, trust on first use, and note the certificate the hub presents;
 *  2. send `satellite.pair` with proof = HMAC(code, that fingerprint ‖ nonce), pinned to that
 *     very certificate (the code itself never leaves this machine);
 *  3. check the hub's answering proof (it knows the code too), store hub.json, and check
 *     the credential works (`satellite.whoami`).
 * A man in the middle with its own certificate makes step 2 fail at the hub.
 */
export async function pairWithHub(options: { hubUrl: string; code: string; name?: string; dataDir: string }): Promise<HubLink> {
  const hubUrl = options.hubUrl.replace(/\/+$/, '');
  const name = (options.name ?? `Kiosk ${hostname()}`).slice(0, 40);
  const pin = await probeHubCertificate(hubUrl);
  const agent = pinnedAgent(pin);
  try {
    const call = pinnedFetch(pin, agent);
    const nonce = randomBytes(32).toString('base64url');
    const proof = satelliteProof(options.code, pin.fingerprint, nonce);
    const grant = (await trpcCall(call, hubUrl, 'satellite.pair', 'POST', { name, nonce, proof })) as {
      satelliteId: string;
      credential: string;
      hubProof: string;
    };
    if (!sameDigest(hubProof(options.code, pin.fingerprint, nonce, grant.satelliteId, grant.credential), grant.hubProof)) {
      throw new PairingError(
        'The hub could not prove it knows the pairing code: this is not the hub whose console showed it. Nothing was stored.',
        'HUB_PROOF_WRONG',
      );
    }
    const link: HubLink = { hubUrl, ...pin, credential: grant.credential, satelliteId: grant.satelliteId, name, pairedAt: new Date().toISOString() };
    writeHubLink(options.dataDir, link);
    await trpcCall(call, hubUrl, 'satellite.whoami', 'GET', undefined, grant.credential);
    return link;
  } finally {
    agent.destroy();
  }
}

/** One tRPC call over plain JSON (no transformer), returning `result.data` or throwing the typed refusal. */
export async function trpcCall(
  call: typeof fetch,
  hubUrl: string,
  path: string,
  method: 'GET' | 'POST',
  input: unknown,
  credential?: string,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credential) headers['x-kiosk-satellite'] = credential;
  let url = `${hubUrl}/trpc/${path}`;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(input ?? null);
  } else if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await call(url, { method, headers, body });
  const json = (await response.json()) as { result?: { data?: unknown }; error?: { message?: string; data?: { code?: string; reason?: string } } };
  if (json.error) throw new PairingError(json.error.message ?? `The hub refused ${path}.`, json.error.data?.reason ?? json.error.data?.code);
  return json.result?.data;
}

export function writeHubLink(dataDir: string, link: HubLink): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, HUB_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(link, null, 2)}\n`, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

/** The stored pairing, or null when this kiosk has not been paired. */
export function readHubLink(dataDir: string): HubLink | null {
  const file = join(dataDir, HUB_FILE);
  if (!existsSync(file)) return null;
  const link = JSON.parse(readFileSync(file, 'utf8')) as HubLink;
  for (const key of ['hubUrl', 'fingerprint', 'certificate', 'credential', 'satelliteId'] as const) {
    if (typeof link[key] !== 'string' || !link[key]) throw new Error(`${file} has no ${key}: pair this kiosk again (--pair CODE).`);
  }
  return link;
}
