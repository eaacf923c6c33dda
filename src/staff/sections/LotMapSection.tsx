import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { useStaffConsole } from '../../stores/staffConsole';
import { formatIn, formatMoney, formatTime, VEHICLE_LABELS } from '../format';
import { useServerNow } from '../../lib/server-clock';
import type { Lot } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

type StateFilter = 'all' | 'free' | 'taken' | 'reserved' | 'held' | 'maintenance';

/** Every slot at a glance: free or taken, whose car is in it and when it frees. Live. */
export function LotMapSection({ lot }: { lot: Lot }) {
  const trpc = useTRPC();
  const openBooking = useStaffConsole((s) => s.openBooking);
  // A driver's hold runs out with no change to announce it: while one shows, look again every 5 s.
  const map = useQuery(
    trpc.slotAdmin.lotMap.queryOptions(
      { lotId: lot.id },
      { refetchInterval: (query) => (query.state.data?.slots.some((s) => s.state === 'held') ? 5_000 : false) },
    ),
  );
  const now = useServerNow(1000);
  const [show, setShow] = useState<StateFilter>('all');
  const slots = map.data?.slots ?? [];
  const count = (state: StateFilter) => slots.filter((s) => s.state === state).length;
  const shown = show === 'all' ? slots : slots.filter((s) => s.state === show);

  return (
    <section className="section" aria-label="Lot map">
      <div className="section-head">
        <h1>Lot map</h1>
        <div className="segmented" role="group" aria-label="Show">
          {(['all', 'free', 'taken', 'reserved', 'held', 'maintenance'] as const).map((state) => (
            <button key={state} type="button" className={show === state ? 'active' : ''} aria-pressed={show === state} onClick={() => setShow(state)}>
              {state === 'all'
                ? `All ${slots.length}`
                : state === 'held'
                  ? `Being booked ${count(state)}`
                  : `${state[0]!.toUpperCase()}${state.slice(1)} ${count(state)}`}
            </button>
          ))}
        </div>
      </div>
      <ErrorNote error={map.error} />
      <div className="lot-grid">
        {shown.map((slot) => {
          const occupant = slot.occupant;
          const body = (
            <>
              <div className="tile-top">
                <span className="tile-label">{slot.label}</span>
                <span className="tile-type">{VEHICLE_LABELS[slot.vehicleType]}</span>
              </div>
              {occupant ? (
                <>
                  <div className="tile-vehicle mono">{occupant.vehicleNumber}</div>
                  <div className="tile-meta">
                    <span className="mono">{occupant.reference}</span> · since {formatTime(occupant.startTime)}
                  </div>
                  <div className="tile-frees">
                    Frees {formatTime(occupant.endTime)} · {formatIn(Date.parse(occupant.endTime) - now)}
                  </div>
                </>
              ) : (
                <>
                  <div className="tile-vehicle">
                    {slot.state === 'maintenance'
                      ? 'Maintenance'
                      : slot.state === 'held'
                        ? 'Being booked'
                        : slot.state === 'reserved' && slot.next
                          ? `Free until ${formatTime(slot.next.startTime)}`
                          : 'Free'}
                  </div>
                  {slot.state === 'held' && slot.heldUntil && (
                    <div className="tile-held-note">A driver at a kiosk chose it · held until {formatTime(slot.heldUntil)}</div>
                  )}
                  <div className="tile-meta muted">{formatMoney(slot.hourlyPrice, lot.currency)}/h</div>
                </>
              )}
              {slot.next && (
                <div className="tile-next" title={`Next: ${slot.next.vehicleNumber}`}>
                  Next {formatTime(slot.next.startTime)} · <span className="mono">{slot.next.reference}</span>
                </div>
              )}
            </>
          );
          return occupant ? (
            <button
              key={slot.id}
              type="button"
              className={`tile tile-${slot.state}${slot.enabled ? '' : ' tile-closed'}`}
              data-slot={slot.label}
              title={`Open booking ${occupant.reference}`}
              onClick={() => openBooking(occupant.bookingId)}
            >
              {body}
            </button>
          ) : (
            <div key={slot.id} className={`tile tile-${slot.state}`} data-slot={slot.label}>
              {body}
            </div>
          );
        })}
      </div>
      <p className="muted legend">
        <span className="swatch swatch-free" /> free <span className="swatch swatch-taken" /> taken <span className="swatch swatch-reserved" /> reserved soon{' '}
        <span className="swatch swatch-held" /> being booked <span className="swatch swatch-maintenance" /> maintenance · click a taken slot to open its booking
      </p>
    </section>
  );
}
