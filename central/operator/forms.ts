import { expandLabels } from '../../shared/slot-labels';
import { VEHICLE_TYPES } from '../../shared/vocabulary';
import type { DocumentTarget } from '../sync/documents';

/**
 * The operator console's forms read into documents (console.ts renders them). What a document
 * may hold is checked later by the document's own schema (publishDocument); these functions
 * only turn what an operator typed into its shape, naming the line that could not be read.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const SLOT_LINE = new RegExp(`^(.+?)\\s+(${VEHICLE_TYPES.join('|')})\\s+(\\d{1,9})(?:\\s+(open|closed))?$`, 'i');
/** A label in double quotes is that one label, never a row ("L2-10" is a slot called L2-10). */
const QUOTED = /^"([^"]+)"$/;

export interface SlotLine {
  label: string;
  vehicleType: string;
  hourlyPrice: number;
  enabled: boolean;
}

/**
 * One slot (or a row of them) per line: `labels vehicle-type hourly-price [open|closed]`,
 * e.g. `A1-A12 car 4000` or `EV1 ev 6000 closed`; the price is in minor units. A label in
 * double quotes is taken as it is (`"L2-10" car 4000`). Blank lines and lines starting with #
 * are skipped.
 */
export function parseSlotMap(text: string): Parsed<{ slots: SlotLine[] }> {
  const slots: SlotLine[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = SLOT_LINE.exec(line);
    if (!match) {
      return {
        ok: false,
        problem: `Line ${index + 1} ("${line.slice(0, 40)}") is not "labels vehicle-type price [open|closed]", e.g. "A1-A12 car 4000".`,
      };
    }
    const quoted = QUOTED.exec(match[1]!.trim());
    const labels = quoted ? { ok: true as const, labels: [quoted[1]!] } : expandLabels(match[1]!);
    if (!labels.ok) return { ok: false, problem: `Line ${index + 1}: ${labels.problem}` };
    for (const label of labels.labels) {
      slots.push({ label, vehicleType: match[2]!.toLowerCase(), hourlyPrice: Number(match[3]), enabled: (match[4] ?? 'open').toLowerCase() === 'open' });
    }
  }
  return { ok: true, value: { slots } };
}

/** A slot map as the form shows it, one line per slot (the inverse of parseSlotMap). */
export function slotMapText(slots: readonly SlotLine[]): string {
  // Quoted when the label could read as a row or a list (a hyphen, a comma, a dash, a space).
  const written = (label: string) => (/[-–—,\s]/.test(label) ? `"${label}"` : label);
  return slots.map((slot) => `${written(slot.label)} ${slot.vehicleType} ${slot.hourlyPrice}${slot.enabled ? '' : ' closed'}`).join('\n');
}

/** The settings a lot document may set, as the form names them; a blank field leaves the lot's value. */
export const SETTING_FIELDS = [
  { name: 'name', label: 'Lot name', numeric: false },
  { name: 'timeZone', label: 'Time zone (IANA, e.g. Asia/Kolkata)', numeric: false },
  { name: 'bookingMinutes', label: 'Booking length (minutes)', numeric: true },
  { name: 'carWashPrice', label: 'Car wash price (minor units)', numeric: true },
  { name: 'slotHoldMinutes', label: 'Slot hold at the kiosk (minutes)', numeric: true },
  { name: 'plateCorrectionMinutes', label: 'Plate correction window (minutes)', numeric: true },
  { name: 'graceMinutes', label: 'Grace after a stay (minutes)', numeric: true },
] as const;

export function parseSettings(form: URLSearchParams): Parsed<Record<string, string | number>> {
  const value: Record<string, string | number> = {};
  for (const field of SETTING_FIELDS) {
    const text = (form.get(field.name) ?? '').trim();
    if (!text) continue;
    if (field.numeric && !/^\d{1,9}$/.test(text)) return { ok: false, problem: `${field.label}: give a whole number.` };
    value[field.name] = field.numeric ? Number(text) : text;
  }
  if (!Object.keys(value).length) return { ok: false, problem: 'Fill in at least one setting to change.' };
  return { ok: true, value };
}

/** Checked lots, as `lotId/localLotId` values (the form's site boxes). */
export function parseTargets(form: URLSearchParams): DocumentTarget[] {
  return (
    form
      .getAll('site')
      .map((value) => /^([0-9a-f-]{36})\/(\d{1,9})$/i.exec(value))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ lotId: match[1]!.toLowerCase(), localLotId: Number(match[2]) }))
      // A lot ticked twice (a resent form) gets the document once.
      .filter((target, index, all) => all.findIndex((other) => other.lotId === target.lotId && other.localLotId === target.localLotId) === index)
  );
}

/** `datetime-local` in UTC, as the form sends it. */
export const parseEffectiveFrom = (form: URLSearchParams) => Date.parse(`${form.get('effectiveFrom') ?? ''}Z`);
