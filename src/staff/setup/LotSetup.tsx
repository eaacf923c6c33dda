import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { useStaffConsole } from '../../stores/staffConsole';
import { formatMoney, VEHICLE_LABELS } from '../format';
import type { Lot, Me } from '../../lib/api-types';
import { LotDetailsForm, machineTimeZone } from './LotDetailsForm';
import { SlotRowForm } from './SlotRowForm';

const DEFAULTS = { name: '', currency: 'INR', bookingMinutes: 60, carWashPrice: 15_000 };

/**
 * First run without the demo, after the owner account exists: step 1 creates the lot, step 2
 * adds rows of slots; Finish lands in the console. The step follows the server's truth (no lot,
 * or a lot with no slots), so a reload resumes where the owner was.
 */
export function LotSetup({ lot, me }: { lot: Lot | undefined; me: Me }) {
  const { t } = useMessages();
  const c = t.console.setup;
  if (me.role !== 'owner') {
    return (
      <div className="setup-page">
        <div className="card setup-card" role="status">
          <h1>{c.waitingTitle}</h1>
          <p className="muted">{c.waitingBody}</p>
        </div>
      </div>
    );
  }
  return <div className="setup-page">{lot ? <SlotsStep lot={lot} /> : <LotStep />}</div>;
}

function LotStep() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.console.setup;
  const setSetupOpen = useStaffConsole((s) => s.setSetupOpen);
  const create = useMutation(
    trpc.lot.create.mutationOptions({
      onSuccess: async () => {
        setSetupOpen(true);
        await queryClient.invalidateQueries(trpc.lot.list.queryFilter());
      },
    }),
  );
  return (
    <section className="card setup-card" aria-labelledby="setup-lot-title">
      <p className="eyebrow">{fill(c.eyebrow, { n: 1 })}</p>
      <h1 id="setup-lot-title">{c.lotTitle}</h1>
      <p className="muted">{c.lotIntro}</p>
      <LotDetailsForm
        initial={{ ...DEFAULTS, timeZone: machineTimeZone() }}
        label={c.lotTitle}
        submitLabel={create.isPending ? c.creating : c.create}
        pending={create.isPending}
        error={create.error}
        onSubmit={(details) => create.mutate(details)}
      />
    </section>
  );
}

function SlotsStep({ lot }: { lot: Lot }) {
  const trpc = useTRPC();
  const { t } = useMessages();
  const c = t.console.setup;
  const setSetupOpen = useStaffConsole((s) => s.setSetupOpen);
  const slots = useQuery(trpc.slotAdmin.list.queryOptions({ lotId: lot.id }));
  const rows = groupRows(slots.data ?? []);
  const count = slots.data?.length ?? 0;
  return (
    <section className="card setup-card setup-wide" aria-labelledby="setup-slots-title">
      <p className="eyebrow">{fill(c.eyebrow, { n: 2 })}</p>
      <h1 id="setup-slots-title">{c.slotsTitle}</h1>
      <p className="muted">{c.slotsIntro}</p>
      <div className="setup-columns">
        <SlotRowForm lot={lot} />
        <div className="card" aria-label={c.added}>
          <h2>
            {c.added} <span className="muted">· {fill(c.addedCount, { count })}</span>
          </h2>
          {rows.length === 0 ? (
            <p className="muted">{c.addedNone}</p>
          ) : (
            <ul className="setup-rows">
              {rows.map((row) => (
                <li key={`${row.first}-${row.vehicleType}-${row.hourlyPrice}`}>
                  <strong>{row.first === row.last ? row.first : `${row.first}–${row.last}`}</strong>
                  <span>{fill(c.addedCount, { count: row.count })}</span>
                  <span>{VEHICLE_LABELS[row.vehicleType] ?? row.vehicleType}</span>
                  <span>{formatMoney(row.hourlyPrice, lot.currency)}/h</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <div className="setup-foot">
        <button type="button" className="primary" disabled={count === 0} onClick={() => setSetupOpen(false)}>
          {c.finish}
        </button>
      </div>
    </section>
  );
}

interface SlotLike {
  label: string;
  vehicleType: string;
  hourlyPrice: number;
}

/** Consecutive slots of one type and price, shown as one row ("A1–A12 · 12 slots · Car · ₹60.00/h"). */
function groupRows(slots: SlotLike[]) {
  const rows: { first: string; last: string; count: number; vehicleType: string; hourlyPrice: number }[] = [];
  for (const slot of slots) {
    const last = rows[rows.length - 1];
    if (last && last.vehicleType === slot.vehicleType && last.hourlyPrice === slot.hourlyPrice) {
      last.last = slot.label;
      last.count += 1;
    } else {
      rows.push({ first: slot.label, last: slot.label, count: 1, vehicleType: slot.vehicleType, hourlyPrice: slot.hourlyPrice });
    }
  }
  return rows;
}
