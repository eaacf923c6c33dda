import { checkVehicleNumber } from './plates';

/**
 * The look-alike rule, one pure module for the server and the kiosk screen: characters drivers
 * (and cameras, and wardens) confuse on a plate, and the readings of a plate that differ from
 * it only by them. Input and output are normalised plates (`KL-08-AZ-1234`, plates.ts).
 */
export const CONFUSABLE: Readonly<Record<string, string>> = {
  '0': 'O',
  O: '0',
  '1': 'I',
  I: '1',
  '8': 'B',
  B: '8',
  '5': 'S',
  S: '5',
  '2': 'Z',
  Z: '2',
};

/** State and union-territory codes that open a standard Indian plate (old and new spellings). */
const STATE_CODES = new Set('AN AP AR AS BR CG CH DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL OD OR PB PY RJ SK TN TR TS UK UA UP WB'.split(' '));

const isLetter = (c: string) => c >= 'A' && c <= 'Z';
const isDigit = (c: string) => c >= '0' && c <= '9';

/** `KL-08-AZ-1234` → `KL 08 AZ 1234`: the way the plate is written, for reading back. */
export const groupedPlate = (normalized: string): string => normalized.replace(/-/g, ' ');

const compact = (normalized: string) => normalized.replace(/-/g, '');

/** A compact reading back in the normalised spelling (null if it is no plate at all). */
function normalise(compactPlate: string): string | null {
  const checked = checkVehicleNumber(compactPlate);
  return checked.ok ? checked.value : null;
}

type Kind = 'L' | 'D';

/**
 * Fits `text` to a run of letter/digit kinds, swapping a character for its look-alike where the
 * kind demands it. Returns the fitted text and how many swaps it took, or null if no fit.
 */
function fit(text: string, kinds: Kind[]): { text: string; swaps: number } | null {
  let out = '';
  let swaps = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    const wanted = kinds[i] === 'L' ? isLetter : isDigit;
    if (wanted(c)) out += c;
    else if (CONFUSABLE[c] && wanted(CONFUSABLE[c])) {
      out += CONFUSABLE[c];
      swaps += 1;
    } else return null;
  }
  return { text: out, swaps };
}

const run = (kind: Kind, n: number): Kind[] => Array.from({ length: n }, () => kind);

interface Reading {
  text: string;
  swaps: number;
  /** Lower is more usual (a two-digit district and a four-digit number are the common case). */
  rarity: number;
}

/** Every way the compact plate can be read as a standard (`KL 08 AZ 1234`) or Bharat (`22 BH 1234 AA`) plate. */
function readings(text: string): Reading[] {
  const found: Reading[] = [];
  // Standard: state (2 letters), district (1-2 digits), series (0-3 letters), number (1-4 digits).
  for (const district of [2, 1]) {
    for (const series of [2, 1, 3, 0]) {
      const number = text.length - 2 - district - series;
      if (number < 1 || number > 4) continue;
      const fitted = fit(text, [...run('L', 2), ...run('D', district), ...run('L', series), ...run('D', number)]);
      if (!fitted || !STATE_CODES.has(fitted.text.slice(0, 2))) continue;
      found.push({ ...fitted, rarity: (district === 2 ? 0 : 1) + (number === 4 ? 0 : 1) + (series === 2 ? 0 : 1) });
    }
  }
  // Bharat series: year (2 digits), BH, number (4 digits), letters (1-2).
  const tail = text.length - 8;
  if (tail === 1 || tail === 2) {
    const fitted = fit(text, [...run('D', 2), 'L', 'L', ...run('D', 4), ...run('L', tail)]);
    if (fitted && fitted.text.slice(2, 4) === 'BH') found.push({ ...fitted, rarity: 0 });
  }
  return found;
}

/** At most this many swaps make a suggestion; more is a different plate, not a slip. */
const MAX_SWAPS = 3;

/**
 * The common-pattern reading of a plate that differs from it only by look-alike characters
 * (`KL-O8-AZ-1234` → `KL-08-AZ-1234`), or null when the plate already fits a common pattern or
 * no such reading exists.
 */
export function patternSuggestion(normalized: string): string | null {
  const all = readings(compact(normalized));
  if (all.length === 0 || all.some((reading) => reading.swaps === 0)) return null;
  const best = all.filter((reading) => reading.swaps <= MAX_SWAPS).sort((a, b) => a.swaps - b.swaps || a.rarity - b.rarity)[0];
  if (!best) return null;
  const suggestion = normalise(best.text);
  return suggestion === normalized ? null : suggestion;
}

/** The plates that differ from this one by exactly one look-alike character, normalised. */
export function oneSwapLookAlikes(normalized: string): string[] {
  const text = compact(normalized);
  const out = new Set<string>();
  for (let i = 0; i < text.length; i += 1) {
    const other = CONFUSABLE[text[i]!];
    if (!other) continue;
    const reading = normalise(text.slice(0, i) + other + text.slice(i + 1));
    if (reading && reading !== normalized) out.add(reading);
  }
  return [...out];
}

/** The positions (in the grouped spelling) where two readings of a plate differ, to highlight them. */
export function differingPositions(groupedA: string, groupedB: string): number[] {
  // Grouping may differ (`KL O8` vs `KL 08`); compare the characters, map back to A's positions.
  const positions: number[] = [];
  let j = 0;
  const b = groupedB.replace(/ /g, '');
  for (let i = 0; i < groupedA.length; i += 1) {
    if (groupedA[i] === ' ') continue;
    if (groupedA[i] !== b[j]) positions.push(i);
    j += 1;
  }
  return positions;
}
