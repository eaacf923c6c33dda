import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { credentials } from '../api/credentials';
import { useTRPC } from '../api/trpc';
import { useKioskFlow } from '../stores/kioskFlow';
import { useKioskIdle } from '../stores/kioskIdle';
import { useKioskLanguage } from '../stores/kioskLanguage';

/**
 * Starts over for the next driver: forgets every booking token this kiosk holds, drops the
 * bookings from the cache, clears what was typed and goes back to English on the home screen.
 */
export function useResetKiosk(options: { keepLanguage?: boolean } = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keepLanguage = options.keepLanguage ?? false;
  return useCallback(() => {
    credentials.forgetBookings();
    queryClient.removeQueries({ queryKey: trpc.booking.get.queryKey() });
    useKioskFlow.getState().reset();
    if (!keepLanguage) useKioskLanguage.getState().setLanguage('en');
    useKioskIdle.getState().touch();
  }, [queryClient, trpc, keepLanguage]);
}
