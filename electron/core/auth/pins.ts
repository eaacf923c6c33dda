import { randomBytes, randomInt, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { fail } from '../shared/errors';

/** A staff PIN: 6 to 8 digits (a million or more choices), never a trivial one. */
export const PIN_PATTERN = /^[0-9]{6,8}$/;

/** PINs people pick first; refused even though they have the right shape. */
const WELL_KNOWN = new Set([
  '112233',
  '123321',
  '111222',
  '147258',
  '159753',
  '147852',
  '258456',
  '789456',
  '520520',
  '696969',
  '198519',
  '11223344',
  '12344321',
]);

/** Why a PIN is too easy to guess, or null when it is fine. */
export function trivialPinReason(pin: string): string | null {
  const digits = [...pin].map(Number);
  if (digits.every((digit) => digit === digits[0])) return 'all the same digit';
  const steps = digits.slice(1).map((digit, i) => (digit - digits[i]! + 10) % 10);
  if (steps.every((step) => step === 1) || steps.every((step) => step === 9)) return 'a run of digits (like 123456 or 987654)';
  for (let size = 1; size <= pin.length / 2; size += 1) {
    if (pin.length % size === 0 && pin.slice(0, size).repeat(pin.length / size) === pin) return 'a repeated pattern (like 121212 or 123123)';
  }
  // Two halves that mirror or repeat (123321, 12341234) and well-known choices.
  const half = pin.length / 2;
  if (pin.length % 2 === 0 && pin.slice(half) === [...pin.slice(0, half)].reverse().join('')) return 'a mirrored pattern (like 123321)';
  if (WELL_KNOWN.has(pin)) return 'one of the most common PINs';
  return null;
}

/** Refuses a new PIN that is the wrong shape or too easy to guess (with reason PIN_WEAK). */
export function assertPinAllowed(pin: string): void {
  if (!PIN_PATTERN.test(pin)) fail('BAD_REQUEST', 'A PIN is 6 to 8 digits.', 'PIN_WEAK');
  const why = trivialPinReason(pin);
  if (why) fail('BAD_REQUEST', `That PIN is too easy to guess (${why}). Choose another.`, 'PIN_WEAK');
}

/** A random PIN that passes assertPinAllowed, for a fresh database started without KIOSK_STAFF_PIN. */
export function generatePin(): string {
  for (;;) {
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (trivialPinReason(pin) === null) return pin;
  }
}

/**
 * The test suites log in hundreds of times; KIOSK_TEST_WEAK_PIN_HASH=1 (set only by the
 * vitest configs) makes hashing cheap there. Never honoured with NODE_ENV=production, and a
 * weak hash is upgraded at the next login of a normal run (needsRehash).
 */
function testHashing(): boolean {
  return process.env.KIOSK_TEST_WEAK_PIN_HASH === '1' && process.env.NODE_ENV !== 'production';
}

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * scrypt with N=2^17, r=8, p=1 (OWASP's current minimum): about 128 MiB and ~0.5 s per guess
 * on a kiosk PC, so a copied database file does not give up its PINs quickly. Hashes written
 * with older parameters keep their own (stored in the hash) and are upgraded at login.
 */
export const PIN_HASH_PARAMS: ScryptParams = testHashing() ? { N: 2 ** 10, r: 8, p: 1 } : { N: 2 ** 17, r: 8, p: 1 };
/** The first hashes (`scrypt$salt$hash`) carried no parameters: they were N=2^14. */
const LEGACY_PARAMS: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };
const KEY_BYTES = 32;

const options = (params: ScryptParams): ScryptOptions => ({ ...params, maxmem: 128 * params.N * params.r * params.p + 32 * 1024 * 1024 });

export function hashPin(pin: string, params: ScryptParams = PIN_HASH_PARAMS): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_BYTES, options(params));
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return null;
  if (parts.length === 3) return { params: LEGACY_PARAMS, salt: Buffer.from(parts[1]!, 'base64'), hash: Buffer.from(parts[2]!, 'base64') };
  const match = parts.length === 4 ? /^N=(\d+),r=(\d+),p=(\d+)$/.exec(parts[1]!) : null;
  if (!match) return null;
  return {
    params: { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) },
    salt: Buffer.from(parts[2]!, 'base64'),
    hash: Buffer.from(parts[3]!, 'base64'),
  };
}

/** Off the main thread (libuv's pool), so a login never stalls the kiosk's other calls. */
export function pinMatches(pin: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return Promise.resolve(false);
  return new Promise((resolve, reject) =>
    scrypt(pin, parsed.salt, parsed.hash.length, options(parsed.params), (error, actual) =>
      error ? reject(error) : resolve(timingSafeEqual(parsed.hash, actual)),
    ),
  );
}

/** True when a hash was written with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.params.N < PIN_HASH_PARAMS.N || parsed.params.r < PIN_HASH_PARAMS.r || parsed.params.p < PIN_HASH_PARAMS.p;
}
