import { describe, expect, it } from 'vitest';
import { Base45Error, decodeBase45, encodeBase45 } from '../../../electron/core/receipts/base45';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('Base45 (RFC 9285)', () => {
  // RFC 9285 §4.3 and §4.4 examples.
  const vectors: [string, string][] = [
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ];

  it.each(vectors)('encodes %j as %j and back', (plain, encoded) => {
    expect(encodeBase45(bytes(plain))).toBe(encoded);
    expect(text(decodeBase45(encoded))).toBe(plain);
  });

  it('round-trips every byte value and the edges of a pair', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBase45(encodeBase45(all))).toEqual(all);
    for (const edge of [[0, 0], [255, 255], [0], [255]]) {
      expect(decodeBase45(encodeBase45(Uint8Array.from(edge)))).toEqual(Uint8Array.from(edge));
    }
    expect(encodeBase45(new Uint8Array())).toBe('');
  });

  it('refuses a triple above 65535 (RFC 9285 §4: "GGW"), an impossible length and foreign characters', () => {
    expect(() => decodeBase45('GGW')).toThrow(Base45Error);
    expect(() => decodeBase45('BB8A')).toThrow(Base45Error);
    expect(() => decodeBase45('bb8')).toThrow(Base45Error);
    expect(() => decodeBase45('BB#')).toThrow(Base45Error);
    // A last pair above 255 ("::" = 44 + 44*45) is no byte.
    expect(() => decodeBase45('::')).toThrow(Base45Error);
  });
});
