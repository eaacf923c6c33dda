import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../api/trpc';

/**
 * Keeps every console view live: the lot's change feed pings on each committed change (a
 * kiosk booking, a cancel, an expiry, a slot edit) and we refetch what is on screen.
 */
export function useLiveLot(lotId: number | undefined) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    for (const filter of [
      trpc.booking.pathFilter(),
      trpc.bookingAdmin.pathFilter(),
      trpc.slotAdmin.pathFilter(),
      trpc.lot.list.queryFilter(),
      trpc.report.pathFilter(),
      trpc.audit.pathFilter(),
    ]) {
      void queryClient.invalidateQueries(filter);
    }
  };
  return useSubscription(
    trpc.lot.changes.subscriptionOptions(
      { lotId },
      {
        enabled: lotId !== undefined,
        // A (re)connect may have missed changes, so it refreshes too.
        onStarted: refresh,
        // The ping's serverTime has already moved the one server clock (lib/server-clock.ts, sampled in api/connection.ts).
        onData: (ping) => {
          if (ping.changed) refresh();
        },
      },
    ),
  );
}
