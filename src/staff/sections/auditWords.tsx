import { fill, type Messages } from '../../i18n';
import { formatDateTime, formatMoney, VEHICLE_LABELS } from '../format';

type AuditText = Messages['console']['audit'];

/** Actions that record something refused or gone wrong; shown in the failure colour. */
export const isFailure = (action: string) => /(^|[._])(failed|refused|denied|locked)($|[._])/.test(action);

/** Ids are for machines; the sentence and the other fields already say what they point at. */
const HIDDEN = new Set(['lotId', 'slotId', 'staffId', 'bookingId', 'id']);

/**
 * One audit entry in words: a sentence for its action (`{who}` and detail fields filled in)
 * and the remaining detail as labelled, readable fields — never raw JSON.
 */
export function auditWords(
  a: AuditText,
  entry: { action: string; actor: string; detail: Record<string, unknown> },
  currency: string,
): { sentence: string; fields: { key: string; label: string; value: string }[] } {
  const template = a.actions[entry.action] ?? a.unknownAction;
  const who = entry.actor && entry.actor !== 'unknown' ? entry.actor : a.someone;
  const used = new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
  const values: Record<string, string> = { who, action: entry.action };
  for (const [key, value] of Object.entries(entry.detail)) values[key] = render(a, key, value, currency);
  const sentence = fill(template, values);
  const fields: { key: string; label: string; value: string }[] = [];
  for (const [key, value] of Object.entries(entry.detail)) {
    if (used.has(key) || HIDDEN.has(key) || value === null || value === undefined || value === '') continue;
    if (key === 'changes' && value && typeof value === 'object') {
      for (const [changed, change] of Object.entries(value as Record<string, { from: unknown; to: unknown }>)) {
        fields.push({
          key: `changes.${changed}`,
          label: a.fields[changed] ?? changed,
          value: fill(a.values.change, { from: render(a, changed, change?.from, currency), to: render(a, changed, change?.to, currency) }),
        });
      }
      continue;
    }
    if (Array.isArray(value) && value.length === 0) continue;
    fields.push({ key, label: a.fields[key] ?? key, value: render(a, key, value, currency) });
  }
  return { sentence, fields };
}

function render(a: AuditText, key: string, value: unknown, currency: string): string {
  if (value === null || value === undefined) return a.noDetails;
  if (typeof value === 'number' && /price/i.test(key)) return formatMoney(value, currency);
  if (typeof value === 'number' && key === 'bookingMinutes') return fill(a.values.minutes, { n: value });
  if (typeof value === 'boolean') return value ? a.values.yes : a.values.no;
  if (key === 'vehicleType' && typeof value === 'string') return VEHICLE_LABELS[value] ?? value;
  if (key === 'client' && typeof value === 'string') return /^(127\.|::1$|::ffff:127\.|screen)/.test(value) ? `${a.values.thisComputer} (${value})` : value;
  if ((key === 'activeBookings' || key === 'role') && typeof value === 'string') return (a.values as Record<string, string>)[value] ?? value;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) && !Number.isNaN(Date.parse(value))) return formatDateTime(value);
  if (Array.isArray(value)) return value.map((item) => render(a, key, item, currency)).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${a.fields[k] ?? k}: ${render(a, k, v, currency)}`)
      .join('; ');
  }
  return String(value);
}
