import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../electron/api/router';
import type { ErrorReasonCode } from '../../shared/vocabulary';
import { useTRPC } from '../api/trpc';

export type LinkStatus = inferRouterOutputs<AppRouter>['link']['status'];

/** Why a slot the server calls free cannot be chosen at this kiosk: a typed reason the screens translate. */
export type KioskSlotReason = Extract<ErrorReasonCode, 'NOT_AT_THIS_KIOSK' | 'KIOSK_OUT_OF_SERVICE'>;

/** How often the screen asks its own process about the hub link: a local call, cheap, and the lease runs in minutes. */
export const LINK_POLL_MS = 3_000;

/** This kiosk's link to the lot's hub (`link.status` of its own process), polled lightly. */
export function useLinkStatus(): LinkStatus | undefined {
  const trpc = useTRPC();
  const status = useQuery(trpc.link.status.queryOptions(undefined, { refetchInterval: LINK_POLL_MS, refetchIntervalInBackground: true }));
  return status.data;
}

/**
 * Whether this kiosk may sell a slot, whatever the map says: offline on leases it sells only
 * the slots the hub leased to it; out of service, none. Null means "as the map says".
 */
export function slotReasonAtThisKiosk(slotId: number, link: LinkStatus | undefined): KioskSlotReason | null {
  if (!link || link.state === 'online') return null;
  if (link.state === 'out-of-service') return 'KIOSK_OUT_OF_SERVICE';
  return link.leasedSlotIds.includes(slotId) ? null : 'NOT_AT_THIS_KIOSK';
}

/** The kiosk can take new bookings at all (online, or offline with a lease still running and slots in it). */
export const canBookHere = (link: LinkStatus | undefined): boolean =>
  !link || link.state === 'online' || (link.state === 'offline-leases' && link.leasedSlotIds.length > 0);
