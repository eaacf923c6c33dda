import { randomInt } from 'node:crypto';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/service';
import type { BackoffPolicy, ThrottlePolicy } from '../auth/throttle';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';
import type { LoginClient } from '../auth/staff';
import { hubIdentity } from './hub-identity';
import { hubProof, normalizePairingCode, sameDigest, satelliteProof, shortFingerprint } from './proof';
import { newCredential } from './store';

/** No 0/O, 1/I/L, 5/S, 2/Z: a code read off a screen and typed on another is typed right. */
export const PAIRING_CODE_ALPHABET = '346789ABCDEFGHJKMNPQRTUVWXY';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_CODE_LIFE_MS = 10 * 60_000;

/** Wrong proofs from one network client: 3 free, then growing delays (as PIN guessing). */
export const PAIRING_BACKOFF: BackoffPolicy = { freeFailures: 3, firstDelayMs: 2_000, maxDelayMs: 15 * 60_000, forgetMs: 60 * 60_000 };
/**
 * Wrong proofs from anywhere: this many inside a code's life burns every live code, so
 * guessers spread over many addresses get no more tries than one (the owner makes a new code).
 */
export const PAIRING_BURN: ThrottlePolicy = { maxFailures: 10, windowMs: PAIRING_CODE_LIFE_MS, lockMs: 0 };
const BURN_KEY = 'pair:all';

export interface PairingCode {
  code: string;
  expiresAt: string;
  fingerprint: string;
  shortFingerprint: string;
  addresses: string[];
}

function requireHub(core: KioskCore) {
  const hub = hubIdentity(core);
  if (!hub) {
    fail('PRECONDITION_FAILED', 'This kiosk does not serve TLS, so it cannot pair other kiosks. Start it as a hub (--role hub).', 'PAIRING_NEEDS_TLS');
  }
  return hub!;
}

/** A one-time code for the console's "Add a kiosk": 8 characters, 10 minutes, single use. */
export function createPairingCode(core: KioskCore, actor: AuditActor): PairingCode {
  const hub = requireHub(core);
  return runInTransaction(core, (tx) => {
    const codes = core.satellites.codes;
    codes.deleteExpired(tx.now);
    const draw = () => Array.from({ length: PAIRING_CODE_LENGTH }, () => PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)]).join('');
    let code = draw();
    // Unique among the live codes (the table's UNIQUE would refuse a repeat anyway).
    while (codes.exists(code)) code = draw();
    const expiresAt = tx.now + PAIRING_CODE_LIFE_MS;
    codes.insert({ code, createdAt: tx.now, expiresAt, createdBy: actor.staffId });
    // The code itself stays out of the audit log: the log can be exported.
    recordAudit(core, tx.now, actor, 'satellite.code_created', { expiresAt: new Date(expiresAt).toISOString() });
    return {
      code,
      expiresAt: new Date(expiresAt).toISOString(),
      fingerprint: hub.fingerprint,
      shortFingerprint: shortFingerprint(hub.fingerprint),
      addresses: hub.addresses,
    };
  });
}

export interface PairingRequest {
  name: string;
  /** Fresh random value from the satellite (base64url). */
  nonce: string;
  /** satelliteProof(code, fingerprint the satellite saw, nonce), hex. */
  proof: string;
}

/** Who asks, for the throttle: the screen and each network address count on their own. */
export type PairingClient = LoginClient;

export interface PairingGrant {
  satelliteId: string;
  credential: string;
  /** hubProof(code, the hub's fingerprint, nonce, satelliteId, credential): the hub knew the code too. */
  hubProof: string;
}

const refused = () =>
  new DomainError(
    'FORBIDDEN',
    "Pairing was refused: the code is wrong, has expired or was used already, or this connection does not reach the hub directly. Make a new code on the hub's console and check its fingerprint.",
    'PAIRING_REFUSED',
  );

/**
 * Redeems a live code: the proof must be keyed by one of the live codes over THIS hub's
 * fingerprint. The code is used up and the satellite registered in one transaction; wrong
 * proofs are throttled per network client and, in total, burn the live codes.
 */
export function redeemPairingCode(core: KioskCore, request: PairingRequest, client: PairingClient): PairingGrant {
  const hub = requireHub(core);
  const key = `pair:${client.origin}:${client.clientKey}`;
  if (client.origin === 'network') core.throttle.assertOpen(key, core.clock.now());
  const grant = runInTransaction(core, (tx) => {
    const live = core.satellites.codes.live(tx.now);
    const match = live.find((row) => sameDigest(satelliteProof(row.code, hub.fingerprint, request.nonce), request.proof));
    if (!match) return null;
    const { id, credential } = core.satellites.insert(tx.now, request.name);
    core.satellites.codes.use(match.id, tx.now, id);
    recordAudit(core, tx.now, { staffId: null, name: `satellite:${request.name}` }, 'satellite.paired', {
      satelliteId: id,
      name: request.name,
      client: client.clientKey,
    });
    return { satelliteId: id, credential, hubProof: hubProof(match.code, hub.fingerprint, request.nonce, id, credential) };
  });
  if (grant) {
    core.throttle.clear(key);
    return grant;
  }
  if (client.origin === 'network') core.throttle.recordBackoffFailure(key, core.clock.now(), PAIRING_BACKOFF);
  noteWrongProof(core, client);
  throw refused();
}

function noteWrongProof(core: KioskCore, client: PairingClient): void {
  const now = core.clock.now();
  // The failure that reaches the limit is the moment to burn.
  const burnt = core.throttle.recordFailure(BURN_KEY, now, PAIRING_BURN);
  runInTransaction(core, (tx) => {
    recordAudit(core, tx.now, { staffId: null, name: 'unknown' }, 'satellite.pair_failed', { client: client.clientKey, origin: client.origin });
    if (burnt) {
      const gone = core.satellites.codes.deleteUnused();
      recordAudit(core, tx.now, SYSTEM_ACTOR, 'satellite.codes_burned', { codes: gone, reason: 'too many wrong pairing proofs' });
    }
  });
}

export { newCredential, normalizePairingCode };
