import { keepPreviousData, useQuery, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useEffect } from 'react';
import { isUnreachable, useConnection } from '../api/connection';
import { useTRPC, useTRPCClient } from '../api/trpc';
import type { Booking, Lot } from '../lib/api-types';
import { useSlotHold } from '../stores/slotHold';

/**
 * A subscription that failed for good is started again once the server answers (an unattended
 * kiosk must not stay deaf after an outage); a failure that only means "out of reach" is the
 * offline banner's to tell, not the screen's.
 */
function useResilient(live: { status: string; error: unknown; reset(): void }) {
  const offline = useConnection((state) => state.offline);
  const { status, error, reset } = live;
  useEffect(() => {
    if (!offline && status === 'error' && isUnreachable(error)) reset();
  }, [offline, status, error, reset]);
  return live.error && !isUnreachable(live.error) && status === 'error' ? live.error : null;
}

/** The kiosk's lot (the first one) from the cache; `useLotChanges` keeps it fresh. */
export function useKioskLot() {
  const trpc = useTRPC();
  // A lot that could not be read is asked for again every 5 s: an unattended kiosk must not wait for a tap.
  const lots = useQuery(trpc.lot.list.queryOptions(undefined, { refetchInterval: (query) => (query.state.status === 'error' ? 5_000 : false) }));
  return { lot: lots.data?.[0], receivedAt: lots.dataUpdatedAt, isPending: lots.isPending, error: lots.error, refetch: lots.refetch };
}

/**
 * One subscription for the whole kiosk: refetches the lot when anything in it changes, or
 * when the server's clock (in every ping) no longer agrees with the time the lot was read at.
 */
export function useLotChanges() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useSubscription(
    trpc.lot.changes.subscriptionOptions(
      {},
      {
        onData: (ping) => {
          const key = trpc.lot.list.queryKey();
          const state = queryClient.getQueryState<Lot[]>(key);
          const lot = state?.data?.[0];
          const drift = lot ? Math.abs(Date.parse(ping.serverTime) - serverNow(lot.serverTime, state.dataUpdatedAt, Date.now())) : 0;
          if (ping.changed || drift > 2_000) void queryClient.invalidateQueries({ queryKey: key });
        },
      },
    ),
  );
  useResilient(live);
}

/**
 * The live slot map: `slot.watch` pushes land in the `slot.list` cache entry, the one copy.
 * With the kiosk's hold token, so the server shows our own held slot as ours, not "being booked".
 */
export function useLiveSlots(lotId: number | undefined) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const holdToken = useSlotHold((state) => state.token) ?? undefined;
  const input = { lotId, holdToken };
  // The previous map stays up while the one with a new hold token loads (no flash of "Loading").
  const slots = useQuery(trpc.slot.list.queryOptions(input, { enabled: lotId !== undefined, placeholderData: keepPreviousData }));
  const live = useSubscription(
    trpc.slot.watch.subscriptionOptions(input, {
      enabled: lotId !== undefined,
      onData: (data) => queryClient.setQueryData(trpc.slot.list.queryKey(input), data),
    }),
  );
  const liveError = useResilient(live);
  return { slots: slots.data, isPending: slots.isPending, error: slots.error ?? liveError, live: live.status === 'pending' };
}

/**
 * Puts a booking into the cache unless the cache already holds a newer view of it (by the
 * server's clock): a slow response must not undo a push that came after it, e.g. turn an
 * expired booking back into a running one.
 */
function acceptBooking(queryClient: QueryClient, key: QueryKey, incoming: Booking) {
  queryClient.setQueryData<Booking>(key, (current) =>
    current && current.id === incoming.id && Date.parse(current.serverTime) > Date.parse(incoming.serverTime) ? current : incoming,
  );
}

/**
 * The booking on screen (the flow's booking view always has one); `booking.watch` pushes
 * (every change, and a heartbeat) update the same cache entry.
 */
export function useLiveBooking(id: number) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const input = { id };
  const key = trpc.booking.get.queryKey(input);
  const booking = useQuery(trpc.booking.get.queryOptions(input, { staleTime: Infinity }));
  const live = useSubscription(
    trpc.booking.watch.subscriptionOptions(input, {
      onData: (data) => acceptBooking(queryClient, key, data),
    }),
  );
  const liveError = useResilient(live);
  const refresh = useCallback(() => {
    void client.booking.get.query({ id }).then(
      (data) => acceptBooking(queryClient, key, data),
      () => undefined,
    );
  }, [id, client, queryClient, trpc]);
  return {
    booking: booking.data,
    /** Local time when the booking (and its serverTime) arrived. */
    receivedAt: booking.dataUpdatedAt,
    error: booking.error ?? liveError,
    /** Asks the server now instead of waiting for the next push. */
    refresh,
  };
}

/** Puts a booking returned by a mutation into the cache the confirmation screen reads. */
export function useStoreBooking() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback((booking: Booking) => acceptBooking(queryClient, trpc.booking.get.queryKey({ id: booking.id }), booking), [queryClient, trpc]);
}

/** Server time from one `serverTime` the server sent and the local time it arrived (drift checks only). */
export const serverNow = (serverTime: string, receivedAt: number, localNow: number) => Date.parse(serverTime) + (localNow - receivedAt);
