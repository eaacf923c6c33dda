import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { useMessages } from '../../i18n';
import type { Lot } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

/** The lot's plate correction window: how long after booking the driver may fix the plate once. */
export function PlateCorrectionCard({ lot, isOwner }: { lot: Lot; isOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const c = useMessages().t.console.settings;
  const [minutes, setMinutes] = useState(String(lot.plateCorrectionMinutes));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setMinutes(String(lot.plateCorrectionMinutes)), [lot.plateCorrectionMinutes]);
  const save = useMutation(
    trpc.slotAdmin.setLotSettings.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.lot.list.queryFilter()),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes);
    if (minutes.trim() === '' || !Number.isInteger(value) || value < 0 || value > 60) return setProblem(c.plateRange);
    setProblem(null);
    save.mutate({ lotId: lot.id, plateCorrectionMinutes: value });
  };
  if (!isOwner) {
    return (
      <div className="card" aria-label={c.plateCard}>
        <h2>{c.plateCard}</h2>
        <dl className="facts">
          <dt>{c.plateMinutes}</dt>
          <dd>{lot.plateCorrectionMinutes}</dd>
        </dl>
        <p className="muted small-print">{c.plateHint}</p>
      </div>
    );
  }
  return (
    <form className="card" onSubmit={submit} aria-label={c.plateCard}>
      <h2>{c.plateCard}</h2>
      <label className="field">
        <span>{c.plateMinutes}</span>
        <input type="number" min={0} max={60} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} data-testid="plate-correction-minutes" />
      </label>
      <p className="muted small-print">{c.plateHint}</p>
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={save.error} />
      {save.isSuccess && <p className="ok-note">{c.saved}</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        {c.plateSave}
      </button>
    </form>
  );
}
