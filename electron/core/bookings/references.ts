import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: a driver copies the reference from the screen by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 6;

export const REFERENCE_PATTERN = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

export function newReference(isTaken: (reference: string) => boolean): string {
  for (;;) {
    let reference = '';
    for (let i = 0; i < LENGTH; i += 1) reference += ALPHABET[randomInt(ALPHABET.length)];
    if (!isTaken(reference)) return reference;
  }
}

/** Upper-cases and drops spaces and hyphens so `abc-234` finds `ABC234`. */
export const normalizeReference = (raw: string) =>
  raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '');
