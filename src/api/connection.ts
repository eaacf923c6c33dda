import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { create } from 'zustand';
import type { AppRouter } from '../../electron/api/router';
import { serverClock, serverTimeOf } from '../lib/server-clock';

interface ConnectionState {
  /** True once calls have failed to reach the server for OFFLINE_AFTER_MS, until one reaches it. */
  offline: boolean;
  setOffline(offline: boolean): void;
}

/**
 * One failed call that the next one makes good (a request cut short, a stream re-opened) is no
 * outage: "offline" is said only when the server stays out of reach this long.
 */
export const OFFLINE_AFTER_MS = 1_500;

let pending: ReturnType<typeof setTimeout> | undefined;

/** Whether the booking system answers: UI state (the banner), fed by every call (connectionLink). */
export const useConnection = create<ConnectionState>((set, get) => ({
  offline: false,
  setOffline: (offline) => {
    if (!offline) {
      clearTimeout(pending);
      pending = undefined;
      if (get().offline) set({ offline: false });
      return;
    }
    if (get().offline || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      set({ offline: true });
    }, OFFLINE_AFTER_MS);
  },
}));

/** A call that never reached the server (no tRPC error shape came back): the server is out of reach. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data = error.data as { code?: string } | undefined;
  const shape = error.shape as { data?: { code?: string } } | undefined;
  return !data?.code && !shape?.data?.code;
}

const isAborted = (error: unknown) => error instanceof Error && (error.cause as Error | undefined)?.name === 'AbortError';

/**
 * Watches every operation on its way through: an answer (even a typed error) means the server is
 * there; a failed fetch or a subscription stuck reconnecting with an error means it is not.
 * One place, so every screen agrees on whether the kiosk is offline, and on the server's clock.
 */
export function connectionLink(): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next(value) {
            const result = value.result as { type?: string; state?: string; error?: unknown };
            if (result.type === 'state') {
              if (result.state === 'connecting' && result.error) useConnection.getState().setOffline(true);
              else if (result.state === 'pending') useConnection.getState().setOffline(false);
            } else {
              useConnection.getState().setOffline(false);
              // Sampled here, the moment it arrives (see lib/server-clock.ts for why that matters).
              serverClock.sample(serverTimeOf((result as { data?: unknown }).data));
            }
            observer.next(value);
          },
          error(error) {
            // A call this kiosk gave up itself (a screen left, a query dropped) says nothing about the server.
            if (!op.signal?.aborted && !isAborted(error)) useConnection.getState().setOffline(isUnreachable(error));
            observer.error(error);
          },
          complete() {
            observer.complete();
          },
        }),
      );
}
