import { useState, type FormEvent, type ReactNode } from 'react';
import { fill, useMessages } from '../../i18n';
import { parseMajor, toMajorText } from '../../lib/money';
import { ErrorNote } from '../ui/Notice';
import { isTimeZone as isKnownTimeZone } from '../../../shared/local-time';

export interface LotDetails {
  name: string;
  currency: string;
  timeZone: string;
  bookingMinutes: number;
  /** Minor units (hundredths). */
  carWashPrice: number;
}

/** Two-decimal currencies a lot may use (the kiosk stores hundredths). */
const CURRENCIES = ['INR', 'USD', 'EUR', 'GBP', 'AED', 'SGD', 'AUD', 'CAD', 'LKR', 'NPR', 'BDT', 'MYR', 'ZAR'];

export const machineTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const knownZones = (): string[] => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);

const isTimeZone = (zone: string): boolean => zone.trim().length > 0 && isKnownTimeZone(zone);

interface Props {
  initial: LotDetails;
  label: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  currencyLocked?: boolean;
  footer?: ReactNode;
  onSubmit(details: LotDetails): void;
}

/**
 * The lot's name, currency, time zone, booking length and car wash price, as the owner types
 * them: prices in major units (150.50) become minor units (15050); the zone is checked with Intl.
 */
export function LotDetailsForm({ initial, label, submitLabel, pending, error, currencyLocked, footer, onSubmit }: Props) {
  const { t } = useMessages();
  const c = t.console.lot;
  const [name, setName] = useState(initial.name);
  const [currency, setCurrency] = useState(initial.currency);
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [minutes, setMinutes] = useState(String(initial.bookingMinutes));
  const [wash, setWash] = useState(toMajorText(initial.carWashPrice));
  const [problem, setProblem] = useState<string | null>(null);
  const currencies = CURRENCIES.includes(currency) ? CURRENCIES : [currency, ...CURRENCIES];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const bookingMinutes = Number(minutes);
    const carWashPrice = parseMajor(wash);
    if (!name.trim()) return setProblem(c.nameBad);
    if (!isTimeZone(timeZone)) return setProblem(fill(c.timeZoneBad, { zone: timeZone }));
    if (!Number.isInteger(bookingMinutes) || bookingMinutes < 5 || bookingMinutes > 1440) return setProblem(c.bookingMinutesBad);
    if (carWashPrice === null) return setProblem(c.priceBad);
    setProblem(null);
    onSubmit({ name: name.trim(), currency, timeZone: timeZone.trim(), bookingMinutes, carWashPrice });
  };

  return (
    <form className="lot-form" onSubmit={submit} aria-label={label} onChange={() => setProblem(null)}>
      <label className="field">
        <span>{c.name}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} required />
      </label>
      <div className="form-row">
        <label className="field">
          <span>{c.currency}</span>
          <select value={currency} onChange={(e) => setCurrency(e.target.value)} disabled={currencyLocked}>
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>{c.timeZone}</span>
          <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="lot-time-zones" spellCheck={false} autoComplete="off" />
          <datalist id="lot-time-zones">
            {knownZones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </label>
      </div>
      <p className="muted small-print">
        {currencyLocked ? c.currencyLocked : c.currencyHint} {fill(c.timeZoneHint, { zone: machineTimeZone() })}
      </p>
      <div className="form-row">
        <label className="field">
          <span>{c.bookingMinutes}</span>
          <input type="number" min={5} max={1440} step={5} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        <label className="field">
          <span>{fill(c.carWash, { currency })}</span>
          <input value={wash} onChange={(e) => setWash(e.target.value)} inputMode="decimal" className="price-input" />
        </label>
      </div>
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={error} />
      {footer}
      <button type="submit" className="primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
