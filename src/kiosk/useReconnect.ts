import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useConnection } from '../api/connection';
import { useTRPCClient } from '../api/trpc';

/** How often an offline kiosk asks whether the server is back. */
export const RECONNECT_EVERY_MS = 2_000;

/**
 * An unattended kiosk must come back by itself: while offline it asks the server every two
 * seconds (any answer ends "offline", see connectionLink), and once the server answers, every
 * query on screen is fetched again. Subscriptions reconnect on their own (EventSource).
 */
export function useReconnect() {
  const offline = useConnection((state) => state.offline);
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const wasOffline = useRef(false);

  useEffect(() => {
    if (!offline) return undefined;
    const probe = setInterval(() => void client.lot.list.query().catch(() => undefined), RECONNECT_EVERY_MS);
    return () => clearInterval(probe);
  }, [offline, client]);

  useEffect(() => {
    if (offline) wasOffline.current = true;
    else if (wasOffline.current) {
      wasOffline.current = false;
      void queryClient.invalidateQueries();
    }
  }, [offline, queryClient]);
}
