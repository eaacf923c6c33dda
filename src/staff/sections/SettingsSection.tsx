import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { formatFullDate, formatClock, formatMoney } from '../format';
import { useServerNow } from '../../lib/server-clock';
import { LotDetailsForm } from '../setup/LotDetailsForm';
import { PlateCorrectionCard } from './PlateCorrectionCard';
import { SyncCard } from './SyncCard';
import type { Lot, Me } from '../../lib/api-types';

/** The lot's name, currency, time zone, booking length and car wash price; the owner edits them. */
export function SettingsSection({ lot, me }: { lot: Lot; me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.console.settings;
  const l = t.console.lot;
  const now = useServerNow(1000);
  // Prices already sold are in the lot's currency: once there is a booking it stays fixed.
  const anyBooking = useQuery(trpc.booking.list.queryOptions({ lotId: lot.id, limit: 1 }));
  const currencyLocked = (anyBooking.data?.items.length ?? 0) > 0;
  const save = useMutation(
    trpc.slotAdmin.setLotSettings.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.lot.list.queryFilter()),
    }),
  );
  return (
    <section className="section" aria-label={c.title}>
      <div className="section-head">
        <h1>{c.title}</h1>
        {me.role !== 'owner' && <p className="muted">{c.ownerOnly}</p>}
      </div>
      <div className="settings-grid">
        <div className="card">
          <h2>{c.lotCard}</h2>
          {me.role === 'owner' ? (
            <LotDetailsForm
              // A fresh form whenever the saved values change (another console, a restore).
              key={`${currencyLocked}|${lot.name}|${lot.currency}|${lot.timeZone}|${lot.bookingMinutes}|${lot.carWashPrice}`}
              initial={lot}
              label={c.title}
              submitLabel={c.save}
              pending={save.isPending}
              currencyLocked={currencyLocked}
              error={save.error}
              footer={
                <>
                  <p className="muted small-print">{c.note}</p>
                  {save.isSuccess && <p className="ok-note">{c.saved}</p>}
                </>
              }
              onSubmit={(details) =>
                save.mutate({
                  lotId: lot.id,
                  ...details,
                  // The currency cannot change once priced bookings exist; do not send it unchanged.
                  currency: details.currency === lot.currency ? undefined : details.currency,
                })
              }
            />
          ) : (
            <dl className="facts">
              <dt>{l.name}</dt>
              <dd>{lot.name}</dd>
              <dt>{l.currency}</dt>
              <dd>{lot.currency}</dd>
              <dt>{l.timeZone}</dt>
              <dd>{lot.timeZone}</dd>
              <dt>{l.bookingMinutes}</dt>
              <dd>{lot.bookingMinutes}</dd>
              <dt>{fill(l.carWash, { currency: lot.currency })}</dt>
              <dd>{formatMoney(lot.carWashPrice, lot.currency)}</dd>
            </dl>
          )}
        </div>
        <PlateCorrectionCard lot={lot} isOwner={me.role === 'owner'} />
        <SyncCard />
        <div className="card">
          <h2>{c.clock}</h2>
          <p className="settings-clock mono">{formatClock(now)}</p>
          <p className="muted">
            {formatFullDate(now)} · {lot.timeZone}
          </p>
        </div>
      </div>
    </section>
  );
}
