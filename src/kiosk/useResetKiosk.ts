import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { credentials } from '../api/credentials';
import { useTRPC } from '../api/trpc';
import { useKioskFlow } from '../stores/kioskFlow';
import { useKioskAccess } from '../stores/kioskAccess';
import { useKioskIdle } from '../stores/kioskIdle';
import { useKioskLanguage } from '../stores/kioskLanguage';
import { stopSpeaking } from './a11y/speech';

/**
 * Starts over for the next driver: forgets every booking token this kiosk holds, drops the
 * bookings from the cache, clears what was typed and goes back to English on the home screen
 * with speech off and the standard display.
 */
export function useResetKiosk(options: { keepLanguage?: boolean } = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keepLanguage = options.keepLanguage ?? false;
  return useCallback(() => {
    credentials.forgetBookings();
    queryClient.removeQueries({ queryKey: trpc.booking.get.queryKey() });
    useKioskFlow.getState().reset();
    // Speech, contrast and large text were this driver's choices; the next one starts plain.
    useKioskAccess.getState().reset();
    stopSpeaking();
    if (!keepLanguage) useKioskLanguage.getState().setLanguage('en');
    useKioskIdle.getState().touch();
  }, [queryClient, trpc, keepLanguage]);
}
