/**
 * Turns a row of slot labels as an owner types it into the labels themselves:
 * "A1–A12" (or A1-A12, A1..A12, A1-12) is a range, commas or new lines separate items,
 * "A01-A12" keeps the zero padding. Pure: the console previews with it, the core trusts it.
 */
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 -]*$/;
export const MAX_LABEL_LENGTH = 12;
export const MAX_SLOTS_AT_ONCE = 500;

export type LabelsResult = { ok: true; labels: string[] } | { ok: false; problem: string };

const RANGE = /^(.*?)(\d+)\s*(?:–|—|\.\.|-)\s*(.*?)(\d+)$/;

export function expandLabels(text: string): LabelsResult {
  const labels: string[] = [];
  const items = text
    .split(/[,;\n]+/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) return { ok: false, problem: 'Type at least one slot label, e.g. A1–A12.' };
  for (const item of items) {
    const range = RANGE.exec(item);
    if (range && (range[3] === '' || range[3]!.toLowerCase() === range[1]!.toLowerCase())) {
      const [, prefix = '', fromText = '', , toText = ''] = range;
      const from = Number(fromText);
      const to = Number(toText);
      if (to < from) return { ok: false, problem: `The range ${item} runs backwards; write it from the lower number up.` };
      if (to - from + 1 + labels.length > MAX_SLOTS_AT_ONCE) return { ok: false, problem: `Add at most ${MAX_SLOTS_AT_ONCE} slots at once.` };
      const width = fromText.startsWith('0') ? fromText.length : 0;
      for (let n = from; n <= to; n += 1) labels.push(`${prefix}${String(n).padStart(width, '0')}`);
    } else {
      labels.push(item.replace(/\s+/g, ' '));
    }
    if (labels.length > MAX_SLOTS_AT_ONCE) return { ok: false, problem: `Add at most ${MAX_SLOTS_AT_ONCE} slots at once.` };
  }
  const bad = labels.find((label) => label.length > MAX_LABEL_LENGTH || !LABEL_PATTERN.test(label));
  if (bad !== undefined) {
    return {
      ok: false,
      problem: `"${bad}" is not a slot label: use up to ${MAX_LABEL_LENGTH} letters, digits, spaces and hyphens, starting with a letter or digit.`,
    };
  }
  const seen = new Set<string>();
  const twice = labels.filter((label) => (seen.has(label.toLowerCase()) ? true : (seen.add(label.toLowerCase()), false)));
  if (twice.length > 0) return { ok: false, problem: `These labels appear twice: ${[...new Set(twice)].slice(0, 5).join(', ')}.` };
  return { ok: true, labels };
}
