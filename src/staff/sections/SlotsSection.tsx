import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { VehicleType } from '../../../shared/vocabulary';
import { useTRPC } from '../../api/trpc';
import { VEHICLE_DISPLAY_ORDER } from '../../lib/vehicles';
import { parseMajor, toMajorText } from '../../lib/money';
import { formatMoney, VEHICLE_LABELS } from '../format';
import type { AdminSlot, Lot, Me } from '../../lib/api-types';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/Notice';
import { LotSettingsCard } from './LotSettingsCard';

const TYPES = VEHICLE_DISPLAY_ORDER;

/** Slots and prices: staff rename, retype and close slots; the owner adds, prices and deletes them. */
export function SlotsSection({ lot, me }: { lot: Lot; me: Me }) {
  const trpc = useTRPC();
  const slots = useQuery(trpc.slotAdmin.list.queryOptions({ lotId: lot.id }));
  const isOwner = me.role === 'owner';
  const [closing, setClosing] = useState<AdminSlot | null>(null);
  return (
    <section className="section" aria-label="Slots and prices">
      <div className="section-head">
        <h1>Slots &amp; prices</h1>
        {!isOwner && <p className="muted">Prices, new slots and deleting slots are for the owner.</p>}
      </div>
      <div className="two-col">
        <div>
          <ErrorNote error={slots.error} />
          <div className="table-wrap">
            <table className="data-table slots-table" aria-label="Slots">
              <thead>
                <tr>
                  <th>Label</th>
                  <th>Vehicle type</th>
                  <th className="num">Hourly price</th>
                  <th>Status</th>
                  <th className="num">Active</th>
                  <th className="num">History</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {slots.data?.map((slot) => (
                  <SlotRow key={slot.id} slot={slot} lot={lot} isOwner={isOwner} onClose={() => setClosing(slot)} />
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div className="side-stack">
          {isOwner && <AddSlotCard lot={lot} />}
          <LotSettingsCard lot={lot} isOwner={isOwner} />
        </div>
      </div>
      {closing && <CloseSlotDialog slot={closing} onClose={() => setClosing(null)} />}
    </section>
  );
}

function useSlotMutationDone() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries(trpc.slotAdmin.pathFilter());
    void queryClient.invalidateQueries(trpc.lot.list.queryFilter());
  };
}

function SlotRow({ slot, lot, isOwner, onClose }: { slot: AdminSlot; lot: Lot; isOwner: boolean; onClose(): void }) {
  const trpc = useTRPC();
  const done = useSlotMutationDone();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(slot.label);
  const [type, setType] = useState<VehicleType>(slot.vehicleType);
  const [price, setPrice] = useState(toMajorText(slot.hourlyPrice));
  const update = useMutation(trpc.slotAdmin.update.mutationOptions());
  const setPriceMutation = useMutation(trpc.slotAdmin.setPrice.mutationOptions());
  const enable = useMutation(trpc.slotAdmin.enable.mutationOptions({ onSuccess: done }));
  const remove = useMutation(trpc.slotAdmin.remove.mutationOptions({ onSuccess: done }));
  const [problem, setProblem] = useState<string | null>(null);

  const startEdit = () => {
    setLabel(slot.label);
    setType(slot.vehicleType);
    setPrice(toMajorText(slot.hourlyPrice));
    setProblem(null);
    setEditing(true);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const minor = parseMajor(price);
    if (isOwner && minor === null) return setProblem('Enter the price like 60 or 60.50.');
    try {
      if (label.trim() !== slot.label || type !== slot.vehicleType) {
        await update.mutateAsync({ slotId: slot.id, label: label.trim(), vehicleType: type });
      }
      if (isOwner && minor !== null && minor !== slot.hourlyPrice) await setPriceMutation.mutateAsync({ slotId: slot.id, hourlyPrice: minor });
      setEditing(false);
    } catch {
      // The mutation's error is shown below the row.
    } finally {
      done();
    }
  };
  const error = problem ?? update.error ?? setPriceMutation.error ?? enable.error ?? remove.error;

  if (editing) {
    return (
      <tr className="editing" data-slot={slot.label}>
        <td>
          <input aria-label="Label" form={`slot-${slot.id}`} value={label} onChange={(e) => setLabel(e.target.value)} maxLength={12} autoFocus />
        </td>
        <td>
          <select aria-label="Vehicle type" form={`slot-${slot.id}`} value={type} onChange={(e) => setType(e.target.value as VehicleType)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {VEHICLE_LABELS[t]}
              </option>
            ))}
          </select>
        </td>
        <td className="num">
          {isOwner ? (
            <input
              aria-label="Hourly price"
              className="price-input"
              form={`slot-${slot.id}`}
              value={price}
              onChange={(e) => setPrice(e.target.value)}
              inputMode="decimal"
            />
          ) : (
            formatMoney(slot.hourlyPrice, lot.currency)
          )}
        </td>
        <td colSpan={3}>
          {error && (
            <span className="error-inline" role="alert">
              {typeof error === 'string' ? error : error.message}
            </span>
          )}
        </td>
        <td className="row-actions">
          <form id={`slot-${slot.id}`} onSubmit={save} />
          <button type="submit" form={`slot-${slot.id}`} className="primary small" disabled={update.isPending || setPriceMutation.isPending}>
            Save
          </button>
          <button type="button" className="small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </td>
      </tr>
    );
  }
  return (
    <tr data-slot={slot.label} className={slot.enabled ? '' : 'row-muted'}>
      <td className="strong">{slot.label}</td>
      <td>{VEHICLE_LABELS[slot.vehicleType]}</td>
      <td className="num">{formatMoney(slot.hourlyPrice, lot.currency)}</td>
      <td>{slot.enabled ? <span className="badge badge-open">Open</span> : <span className="badge badge-maintenance">Maintenance</span>}</td>
      <td className="num">{slot.activeBookings || '–'}</td>
      <td className="num">{slot.totalBookings || '–'}</td>
      <td className="row-actions">
        {error && (
          <span className="error-inline" role="alert">
            {typeof error === 'string' ? error : error.message}
          </span>
        )}
        <button type="button" className="small" onClick={startEdit}>
          Edit
        </button>
        {slot.enabled ? (
          <button type="button" className="small" onClick={onClose}>
            Close
          </button>
        ) : (
          <button type="button" className="small" onClick={() => enable.mutate({ slotId: slot.id })} disabled={enable.isPending}>
            Reopen
          </button>
        )}
        {isOwner && (
          <button
            type="button"
            className="small danger-text"
            disabled={slot.totalBookings > 0 || remove.isPending}
            title={slot.totalBookings > 0 ? 'Slots with booking history cannot be deleted: close them instead.' : 'Delete this slot'}
            onClick={() => window.confirm(`Delete slot ${slot.label}? This cannot be undone.`) && remove.mutate({ slotId: slot.id })}
          >
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

/** Closing for maintenance: a slot with bookings still to run needs a decision about them. */
function CloseSlotDialog({ slot, onClose }: { slot: AdminSlot; onClose(): void }) {
  const trpc = useTRPC();
  const done = useSlotMutationDone();
  const [choice, setChoice] = useState<'keep' | 'cancel'>('keep');
  const [reason, setReason] = useState('');
  const disable = useMutation(
    trpc.slotAdmin.disable.mutationOptions({
      onSuccess: () => {
        done();
        onClose();
      },
    }),
  );
  const hasActive = slot.activeBookings > 0;
  const submit = () =>
    disable.mutate({
      slotId: slot.id,
      activeBookings: hasActive ? choice : undefined,
      reason: choice === 'cancel' && reason.trim() ? reason.trim() : undefined,
    });
  return (
    <Dialog
      title={`Close slot ${slot.label} for maintenance?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Back
          </button>
          <button type="button" className={choice === 'cancel' && hasActive ? 'danger' : 'primary'} onClick={submit} disabled={disable.isPending}>
            Close slot
          </button>
        </>
      }
    >
      <p>A closed slot takes no new bookings and shows as under maintenance on the kiosk. You can reopen it any time.</p>
      {hasActive && (
        <div className="choice" role="radiogroup" aria-label="Active bookings">
          <p className="choice-question">
            This slot has {slot.activeBookings} active booking{slot.activeBookings === 1 ? '' : 's'}. What should happen to{' '}
            {slot.activeBookings === 1 ? 'it' : 'them'}?
          </p>
          <label>
            <input type="radio" name="active" checked={choice === 'keep'} onChange={() => setChoice('keep')} />
            Keep {slot.activeBookings === 1 ? 'it' : 'them'} running until the booked time ends
          </label>
          <label>
            <input type="radio" name="active" checked={choice === 'cancel'} onChange={() => setChoice('cancel')} />
            Cancel {slot.activeBookings === 1 ? 'it' : 'them'} now (drivers see it on their screen)
          </label>
          {choice === 'cancel' && (
            <label className="field">
              <span>Reason for the drivers and the audit log</span>
              <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} placeholder={`Slot ${slot.label} closed for maintenance`} />
            </label>
          )}
        </div>
      )}
      <ErrorNote error={disable.error} />
    </Dialog>
  );
}

function AddSlotCard({ lot }: { lot: Lot }) {
  const trpc = useTRPC();
  const done = useSlotMutationDone();
  const [label, setLabel] = useState('');
  const [type, setType] = useState<VehicleType>('car');
  const [price, setPrice] = useState('60.00');
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation(
    trpc.slotAdmin.add.mutationOptions({
      onSuccess: () => {
        done();
        setLabel('');
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const minor = parseMajor(price);
    if (minor === null) return setProblem('Enter the price like 60 or 60.50.');
    setProblem(null);
    add.mutate({ lotId: lot.id, label: label.trim(), vehicleType: type, hourlyPrice: minor });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Add a slot">
      <h2>Add a slot</h2>
      <div className="form-row">
        <label className="field">
          <span>Label</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={12} placeholder="e.g. A9" required />
        </label>
        <label className="field">
          <span>Vehicle type</span>
          <select value={type} onChange={(e) => setType(e.target.value as VehicleType)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {VEHICLE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Per hour</span>
          <input value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" className="price-input" />
        </label>
      </div>
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={add.error} />
      {add.isSuccess && <p className="ok-note">Slot {add.data.label} added.</p>}
      <button type="submit" className="primary" disabled={add.isPending || !label.trim()}>
        Add slot
      </button>
    </form>
  );
}
