/**
 * Base45 (RFC 9285): bytes as characters of the QR code alphanumeric alphabet, so a QR code
 * can hold them in alphanumeric mode (5.5 bits a character instead of 8 in byte mode).
 * Every two bytes become three characters, a last odd byte two. Pure code: usable from the
 * main process and, later, the renderer.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase45(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i]! * 256 + bytes[i + 1]!;
      const c = n % 45;
      n = (n - c) / 45;
      const d = n % 45;
      const e = (n - d) / 45;
      out += ALPHABET[c]! + ALPHABET[d]! + ALPHABET[e]!;
    } else {
      const n = bytes[i]!;
      out += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
    }
  }
  return out;
}

/** Thrown for text that is not Base45; callers turn it into a typed result. */
export class Base45Error extends Error {}

export function decodeBase45(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new Base45Error('Base45 text has an impossible length');
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    const values = [...chunk].map((ch) => {
      const v = VALUE.get(ch);
      if (v === undefined) throw new Base45Error(`"${ch}" is not a Base45 character`);
      return v;
    });
    if (values.length === 3) {
      const n = values[0]! + values[1]! * 45 + values[2]! * 45 * 45;
      // RFC 9285 §4: a triple above 65535 is invalid, not wrapped around.
      if (n > 0xffff) throw new Base45Error('Base45 triple out of range');
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = values[0]! + values[1]! * 45;
      if (n > 0xff) throw new Base45Error('Base45 pair out of range');
      out[o++] = n;
    }
  }
  return out;
}
