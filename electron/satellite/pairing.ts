import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cpaceConfirm, cpaceSide, grantConfirm, sameMac } from '../core/pairing/cpace';
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
 *  2. run the CPace exchange (core/pairing/cpace.ts) over the code and that fingerprint, on
 *     connections pinned to that very certificate: `satellite.pairStart` with this side's
 *     share; the hub's offer whose proof holds shows it knows the code (none: stop, nothing
 *     sent beyond the share); `satellite.pair` with this side's proof gets the credential;
 *  3. check the hub's MAC over the credential, store hub.json, and check the credential works
 *     (`satellite.whoami`).
 * The code never leaves this machine, and nothing sent lets anyone test a guess of it offline.
 * A man in the middle with its own certificate derives other keys: no proof holds.
 */
export async function pairWithHub(options: { hubUrl: string; code: string; name?: string; dataDir: string }): Promise<HubLink> {
  const hubUrl = options.hubUrl.replace(/\/+$/, '');
  const name = (options.name ?? `Kiosk ${hostname()}`).slice(0, 40);
  const pin = await probeHubCertificate(hubUrl);
  const agent = pinnedAgent(pin);
  try {
    const call = pinnedFetch(pin, agent);
    const nonce = randomBytes(32).toString('base64url');
    const side = cpaceSide(options.code, pin.fingerprint, nonce);
    const { offers } = (await trpcCall(call, hubUrl, 'satellite.pairStart', 'POST', { name, nonce, share: side.share })) as {
      offers: { share: string; confirm: string }[];
    };
    // The offer whose proof holds is the code this person typed; none holds: a wrong code, or not the hub that showed it.
    const agreed = offers
      .map((offer, index) => {
        const transcript = { satelliteShare: side.share, hubShare: offer.share };
        const isk = side.agree(offer.share, transcript);
        return isk && sameMac(cpaceConfirm(isk, 'hub', transcript), offer.confirm) ? { index, isk, transcript } : null;
      })
      .find((match) => match !== null);
    if (!agreed) {
      throw new PairingError(
        "The hub could not prove it knows this code: the code is wrong or has expired, or this is not the hub whose console showed it. Nothing was stored; make a new code on the hub's console.",
        'HUB_PROOF_WRONG',
      );
    }
    const grant = (await trpcCall(call, hubUrl, 'satellite.pair', 'POST', {
      nonce,
      offer: agreed.index,
      confirm: cpaceConfirm(agreed.isk, 'satellite', agreed.transcript),
    })) as { satelliteId: string; credential: string; grantConfirm: string };
    if (!sameMac(grantConfirm(agreed.isk, grant.satelliteId, grant.credential), grant.grantConfirm)) {
      throw new PairingError('The hub’s answer was altered on the way. Nothing was stored; pair again.', 'HUB_PROOF_WRONG');
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
