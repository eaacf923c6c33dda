import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { parseMajor, toMajorText } from '../../lib/money';
import { formatMoney } from '../format';
import type { Lot } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

/** The lot's booking duration and car wash price: the owner sets them, staff see them. */
export function LotSettingsCard({ lot, isOwner }: { lot: Lot; isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [minutes, setMinutes] = useState(String(lot.bookingMinutes));
  const [wash, setWash] = useState(toMajorText(lot.carWashPrice));
  const [hold, setHold] = useState(String(lot.slotHoldMinutes));
  const [grace, setGrace] = useState(String(lot.graceMinutes));
  const c = useMessages().t.console.settings;
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setMinutes(String(lot.bookingMinutes));
    setWash(toMajorText(lot.carWashPrice));
    setHold(String(lot.slotHoldMinutes));
    setGrace(String(lot.graceMinutes));
  }, [lot.bookingMinutes, lot.carWashPrice, lot.slotHoldMinutes, lot.graceMinutes]);
  const save = useMutation(
    trpc.slotAdmin.setLotSettings.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.lot.list.queryFilter()),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const bookingMinutes = Number(minutes);
    const carWashPrice = parseMajor(wash);
    if (!Number.isInteger(bookingMinutes) || bookingMinutes < 5 || bookingMinutes > 1440) return setProblem('A booking lasts 5 to 1440 minutes.');
    if (carWashPrice === null) return setProblem('Enter the car wash price like 150 or 150.00.');
    const slotHoldMinutes = Number(hold);
    if (!Number.isInteger(slotHoldMinutes) || slotHoldMinutes < 1 || slotHoldMinutes > 10) return setProblem('A slot hold lasts 1 to 10 minutes.');
    const graceMinutes = Number(grace);
    if (grace.trim() === '' || !Number.isInteger(graceMinutes) || graceMinutes < 0 || graceMinutes > 120) return setProblem(c.graceRange);
    setProblem(null);
    save.mutate({ lotId: lot.id, bookingMinutes, carWashPrice, slotHoldMinutes, graceMinutes });
  };
  if (!isOwner) {
    return (
      <div className="card" aria-label="Lot settings">
        <h2>Lot settings</h2>
        <dl className="facts">
          <dt>Booking duration</dt>
          <dd>{lot.bookingMinutes} minutes</dd>
          <dt>Car wash</dt>
          <dd>{formatMoney(lot.carWashPrice, lot.currency)}</dd>
          <dt>Slot hold</dt>
          <dd>{lot.slotHoldMinutes} minutes</dd>
          <dt>{c.graceMinutes}</dt>
          <dd>{fill(c.graceFacts, { minutes: lot.graceMinutes })}</dd>
        </dl>
      </div>
    );
  }
  return (
    <form className="card" onSubmit={submit} aria-label="Lot settings">
      <h2>Lot settings</h2>
      <div className="form-row">
        <label className="field">
          <span>Booking length (min)</span>
          <input type="number" min={5} max={1440} step={5} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        <label className="field">
          <span>Car wash price</span>
          <input value={wash} onChange={(e) => setWash(e.target.value)} inputMode="decimal" className="price-input" />
        </label>
        <label className="field">
          <span>Slot hold (min)</span>
          <input type="number" min={1} max={10} step={1} value={hold} onChange={(e) => setHold(e.target.value)} aria-describedby="slot-hold-help" />
        </label>
      </div>
      <p className="muted small-print" id="slot-hold-help">
        A slot a driver chooses at the kiosk waits this long for them (renewed while they type, 10 minutes at most).
      </p>
      <label className="field">
        <span>{c.graceMinutes}</span>
        <input
          type="number"
          min={0}
          max={120}
          step={1}
          value={grace}
          onChange={(e) => setGrace(e.target.value)}
          aria-describedby="grace-help"
          data-testid="grace-minutes"
        />
      </label>
      <p className="muted small-print" id="grace-help">
        {c.graceHint}
      </p>
      <p className="muted small-print">New bookings use these; bookings already made keep their time and price.</p>
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={save.error} />
      {save.isSuccess && <p className="ok-note">Saved.</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        Save settings
      </button>
    </form>
  );
}
