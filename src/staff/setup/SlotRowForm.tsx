import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { expandLabels } from '../../../shared/slot-labels';
import type { VehicleType } from '../../../shared/vocabulary';
import { useTRPC } from '../../api/trpc';
import { VEHICLE_DISPLAY_ORDER } from '../../lib/vehicles';
import { fill, useMessages } from '../../i18n';
import { parseMajor } from '../../lib/money';
import { VEHICLE_LABELS } from '../format';
import type { Lot } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

const TYPES = VEHICLE_DISPLAY_ORDER;

const preview = (labels: string[]) => (labels.length <= 6 ? labels.join(', ') : `${labels.slice(0, 3).join(', ')} … ${labels.slice(-2).join(', ')}`);

/**
 * A row of slots at once: labels as a range or list (previewed as typed, with the same rule
 * the server applies), one vehicle type, one hourly price in major units.
 */
export function SlotRowForm({ lot, onAdded }: { lot: Lot; onAdded?(count: number): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.console.slotRow;
  const [labels, setLabels] = useState('');
  const [type, setType] = useState<VehicleType>('car');
  const [price, setPrice] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<number | null>(null);
  const addMany = useMutation(
    trpc.slotAdmin.addMany.mutationOptions({
      onSuccess: (slots) => {
        setAdded(slots.length);
        setLabels('');
        onAdded?.(slots.length);
        void queryClient.invalidateQueries(trpc.slotAdmin.pathFilter());
        void queryClient.invalidateQueries(trpc.lot.list.queryFilter());
      },
    }),
  );
  const expanded = labels.trim() ? expandLabels(labels) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const hourlyPrice = parseMajor(price);
    if (!expanded) return setProblem(t.console.setup.previewNone);
    if (!expanded.ok) return setProblem(expanded.problem);
    if (hourlyPrice === null) return setProblem(t.console.lot.priceBad);
    setProblem(null);
    addMany.mutate({ lotId: lot.id, labels, vehicleType: type, hourlyPrice });
  };

  return (
    <form
      className="card slot-row-form"
      onSubmit={submit}
      aria-label={c.title}
      // A complaint about the last try goes once the owner starts fixing it.
      onChange={() => {
        setProblem(null);
        if (addMany.isError) addMany.reset();
      }}
    >
      <h2>{c.title}</h2>
      <label className="field">
        <span>{c.labels}</span>
        <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder={c.labelsHint} spellCheck={false} autoComplete="off" />
      </label>
      <p className="muted small-print" aria-live="polite" data-testid="slot-row-preview">
        {expanded === null
          ? t.console.setup.previewNone
          : expanded.ok
            ? fill(t.console.setup.preview, { count: expanded.labels.length, labels: preview(expanded.labels) })
            : expanded.problem}
      </p>
      <div className="form-row">
        <label className="field">
          <span>{c.vehicleType}</span>
          <select value={type} onChange={(e) => setType(e.target.value as VehicleType)}>
            {TYPES.map((v) => (
              <option key={v} value={v}>
                {VEHICLE_LABELS[v]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{fill(c.hourlyPrice, { currency: lot.currency })}</span>
          <input value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" className="price-input" placeholder="60.00" />
        </label>
      </div>
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={addMany.error} />
      {added !== null && <p className="ok-note">{fill(c.done, { count: added })}</p>}
      <button type="submit" className="primary" disabled={addMany.isPending}>
        {addMany.isPending ? t.console.setup.adding : t.console.setup.addRow}
      </button>
    </form>
  );
}
