import '../../styles/kiosk-link.css';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { flowStep, useKioskFlow, useKioskScreen } from '../../stores/kioskFlow';
import type { Lot } from '../../lib/api-types';
import type { LinkStatus } from '../link';

/** Slot labels for ids, from the map this kiosk already has ("A1, A2"). */
export function useSlotLabels(lotId: number | undefined, ids: number[]): string {
  const trpc = useTRPC();
  const slots = useQuery(trpc.slot.list.queryOptions({ lotId }, { enabled: lotId !== undefined && ids.length > 0 }));
  const byId = new Map(slots.data?.map((slot) => [slot.id, slot.label]));
  return ids.map((id) => byId.get(id) ?? `#${id}`).join(', ');
}

/**
 * Says plainly, under the top bar, when this kiosk has lost the lot's hub: offline on leases
 * (which slots it can still sell, until when) or out of service (what a driver can still do).
 * Online it says nothing: the kiosk looks as it always did.
 */
export function LinkBanner({ link, lot }: { link: LinkStatus | undefined; lot: Lot | undefined }) {
  const { t, f } = useMessages();
  const m = t.link.kiosk;
  const reset = useKioskFlow((state) => state.reset);
  const screen = useKioskScreen();
  // Out of service, finding a booking made here is what a driver can still do: from any screen,
  // back to the start (always allowed) and on to Find.
  const goFind = () => {
    reset();
    flowStep('home').go('find');
  };
  const labels = useSlotLabels(lot?.id, link?.state === 'offline-leases' ? link.leasedSlotIds : []);
  if (!link || link.state === 'online') return null;
  const outOfService = link.state === 'out-of-service' || link.leasedSlotIds.length === 0 || !link.leaseExpiresAt;
  return (
    <div className={`link-banner ${outOfService ? 'out-of-service' : 'offline-leases'}`} role="status" data-testid="link-banner" data-link-state={link.state}>
      <LinkIcon kind={outOfService ? 'stop' : 'warn'} />
      <p className="link-banner-text">
        <strong>{link.state === 'out-of-service' ? m.outOfServiceTitle : m.offlineLeasesTitle}</strong>{' '}
        {link.state === 'out-of-service' ? (
          <>
            <span className="link-banner-more">{m.outOfServiceWhy} </span>
            {m.outOfServiceCan} <span className="link-banner-more">{m.outOfServiceElse}</span>
          </>
        ) : outOfService ? (
          m.offlineLeasesNoSlots
        ) : (
          <>
            {fill(m.offlineLeasesBody, { slots: labels, time: f.time(link.leaseExpiresAt!) })} <span className="link-banner-more">{m.offlineLeasesLater}</span>
          </>
        )}
      </p>
      {/* Home has its own big "Find my booking"; the other screens get one here. */}
      {outOfService && screen !== 'find' && screen !== 'home' && (
        <button type="button" className="button secondary link-banner-action" onClick={goFind}>
          {m.findBooking}
        </button>
      )}
    </div>
  );
}

/** Line icons (no emoji fonts on a kiosk): a warning triangle, or a no-entry circle. */
function LinkIcon({ kind }: { kind: 'warn' | 'stop' }) {
  const d = kind === 'warn' ? 'M12 3.5 22 20.5H2L12 3.5z M12 10v4.5 M12 17.6v.1' : 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M7.5 12h9';
  return (
    <svg className="link-banner-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
