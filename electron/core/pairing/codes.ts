import { randomInt } from 'node:crypto';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/service';
import type { BackoffPolicy, ThrottlePolicy } from '../auth/throttle';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';
import type { LoginClient } from '../auth/staff';
import { hubIdentity } from './hub-identity';
import { cpaceConfirm, cpaceSide, grantConfirm, sameMac } from './cpace';
import { shortFingerprint } from './proof';

/** No 0/O, 1/I/L, 5/S, 2/Z: a code read off a screen and typed on another is typed right. */
export const PAIRING_CODE_ALPHABET = '346789ABCDEFGHJKMNPQRTUVWXY';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_CODE_LIFE_MS = 10 * 60_000;

/** Pairing tries from one network client: 3 free, then growing delays (as PIN guessing). */
export const PAIRING_BACKOFF: BackoffPolicy = { freeFailures: 3, firstDelayMs: 2_000, maxDelayMs: 15 * 60_000, forgetMs: 60 * 60_000 };
/**
 * Pairing tries from anywhere: this many inside a code's life burns every live code, so
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

/** Round one: the satellite's name, its session id (a fresh nonce) and its CPace share. */
export interface PairingStart {
  name: string;
  /** Fresh random value from the satellite (base64url): the exchange's session id. */
  nonce: string;
  /** The satellite's CPace share (cpace.ts), hex. */
  share: string;
}

/** The hub's answer: one offer per live code, each its share and its proof of that code. */
export interface PairingOffers {
  offers: { share: string; confirm: string }[];
}

/** Round two: the satellite names the offer whose proof held and proves the code in turn. */
export interface PairingFinish {
  nonce: string;
  offer: number;
  confirm: string;
}

/** Who asks, for the throttle: the screen and each network address count on their own. */
export type PairingClient = LoginClient;

export interface PairingGrant {
  satelliteId: string;
  credential: string;
  /** grantConfirm(session key, satelliteId, credential): the satellite checks it before it stores the credential. */
  grantConfirm: string;
}

const refused = () =>
  new DomainError(
    'FORBIDDEN',
    "Pairing was refused: the code is wrong, has expired or was used already, or this connection does not reach the hub directly. Make a new code on the hub's console and check its fingerprint.",
    'PAIRING_REFUSED',
  );

/** An exchange between its two rounds: the satellite has this long to answer. */
const SESSION_MS = 60_000;
const MAX_SESSIONS = 64;
/** Live codes one exchange is run against (the newest): each costs the hub two scalar multiplications. */
const MAX_OFFERS = 8;
interface PairingSession {
  name: string;
  expiresAt: number;
  entries: { codeId: number; isk: Buffer; transcript: { satelliteShare: string; hubShare: string } }[];
}
// In memory only: an exchange interrupted by a restart is simply started again.
const sessionsOf = new WeakMap<KioskCore, Map<string, PairingSession>>();
function sessions(core: KioskCore): Map<string, PairingSession> {
  let map = sessionsOf.get(core);
  if (!map) sessionsOf.set(core, (map = new Map()));
  const now = core.clock.now();
  for (const [nonce, session] of map) if (session.expiresAt <= now) map.delete(nonce);
  return map;
}

/**
 * Round one of pairing. Each exchange tests at most one guess of each live code, so each one
 * counts as a try before anything is computed: per network client (growing delays) and in
 * total (enough of them inside a code's life burn every live code). A pairing that completes
 * clears its client's count.
 */
export function startPairing(core: KioskCore, request: PairingStart, client: PairingClient): PairingOffers {
  const hub = requireHub(core);
  const key = throttleKey(client);
  if (client.origin === 'network') core.throttle.assertOpen(key, core.clock.now());
  countTry(core, client);
  const refuse = () => {
    auditFailure(core, client);
    return refused();
  };
  const open = sessions(core);
  if (open.has(request.nonce)) throw refuse();
  const live = core.satellites.codes
    .live(core.clock.now())
    .sort((a, b) => b.id - a.id)
    .slice(0, MAX_OFFERS);
  if (live.length === 0) throw refuse();
  const session: PairingSession = { name: request.name, expiresAt: core.clock.now() + SESSION_MS, entries: [] };
  const offers = live.map((row) => {
    const side = cpaceSide(row.code, hub.fingerprint, request.nonce);
    const transcript = { satelliteShare: request.share, hubShare: side.share };
    const isk = side.agree(request.share, transcript);
    if (!isk) throw refuse();
    session.entries.push({ codeId: row.id, isk, transcript });
    return { share: side.share, confirm: cpaceConfirm(isk, 'hub', transcript) };
  });
  if (open.size >= MAX_SESSIONS) open.delete(open.keys().next().value!);
  open.set(request.nonce, session);
  return { offers };
}

/**
 * Round two: the satellite's proof must hold for the offer it names (one try per exchange).
 * The code is used up and the satellite registered in one transaction.
 */
export function finishPairing(core: KioskCore, request: PairingFinish, client: PairingClient): PairingGrant {
  const open = sessions(core);
  const session = open.get(request.nonce);
  open.delete(request.nonce);
  const entry = session?.entries[request.offer];
  if (!session || !entry || !sameMac(cpaceConfirm(entry.isk, 'satellite', entry.transcript), request.confirm)) {
    auditFailure(core, client);
    throw refused();
  }
  const grant = runInTransaction(core, (tx) => {
    // Still live and unused: another kiosk may have used it between the rounds.
    if (!core.satellites.codes.live(tx.now).some((row) => row.id === entry.codeId)) return null;
    const { id, credential } = core.satellites.insert(tx.now, session.name);
    core.satellites.codes.use(entry.codeId, tx.now, id);
    recordAudit(core, tx.now, { staffId: null, name: `satellite:${session.name}` }, 'satellite.paired', {
      satelliteId: id,
      name: session.name,
      client: client.clientKey,
    });
    return { satelliteId: id, credential, grantConfirm: grantConfirm(entry.isk, id, credential) };
  });
  if (!grant) throw refused();
  core.throttle.clear(throttleKey(client));
  return grant;
}

const throttleKey = (client: PairingClient) => `pair:${client.origin}:${client.clientKey}`;

function countTry(core: KioskCore, client: PairingClient): void {
  const now = core.clock.now();
  if (client.origin === 'network') core.throttle.recordBackoffFailure(throttleKey(client), now, PAIRING_BACKOFF);
  // The try that reaches the limit is the moment to burn.
  if (!core.throttle.recordFailure(BURN_KEY, now, PAIRING_BURN)) return;
  runInTransaction(core, (tx) => {
    const gone = core.satellites.codes.deleteUnused();
    recordAudit(core, tx.now, SYSTEM_ACTOR, 'satellite.codes_burned', { codes: gone, reason: 'too many pairing tries' });
  });
}

function auditFailure(core: KioskCore, client: PairingClient): void {
  runInTransaction(core, (tx) => {
    recordAudit(core, tx.now, { staffId: null, name: 'unknown' }, 'satellite.pair_failed', { client: client.clientKey, origin: client.origin });
  });
}
