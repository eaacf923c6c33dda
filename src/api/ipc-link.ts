import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../../electron/api/router';
import type { IpcRequest, KioskIpcBridge } from '../../electron/ipc/protocol';

export type { KioskIpcBridge };

let nextId = 0;
/** Unique within this renderer; main namespaces ids per renderer, so windows cannot collide. */
const newSubscriptionId = () => `sub-${Date.now().toString(36)}-${(nextId += 1).toString(36)}`;

/**
 * A terminating tRPC link over Electron IPC, subscriptions included. `tokenFor` picks the
 * bearer token for one call from its input (see credentials.ts).
 */
export function ipcLink(bridge: KioskIpcBridge, tokenFor: (input: unknown) => string | undefined): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const token = tokenFor(op.input);
        const request: IpcRequest = { type: op.type, path: op.path, input: op.input, ...(token ? { token } : {}) };
        if (op.type !== 'subscription') {
          let live = true;
          bridge.call(request).then(
            (response) => {
              if (!live) return;
              if (response.ok) {
                observer.next({ result: { type: 'data', data: response.data } } as never);
                observer.complete();
              } else {
                observer.error(TRPCClientError.from({ error: response.error } as never));
              }
            },
            (cause: unknown) => {
              if (live) observer.error(TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause))));
            },
          );
          return () => {
            live = false;
          };
        }

        const id = newSubscriptionId();
        let done = false;
        const stopListening = bridge.onEvent((event) => {
          if (event.id !== id || done) return;
          switch (event.kind) {
            case 'started':
              observer.next({ result: { type: 'started' } } as never);
              break;
            case 'data':
              // Like httpSubscriptionLink: a tracked value arrives as { id, data }.
              observer.next({
                result:
                  event.trackedId === undefined
                    ? { type: 'data', data: event.data }
                    : { type: 'data', id: event.trackedId, data: { id: event.trackedId, data: event.data } },
              } as never);
              break;
            case 'error':
              done = true;
              stopListening();
              observer.error(TRPCClientError.from({ error: event.error } as never));
              break;
            case 'stopped':
              done = true;
              stopListening();
              observer.next({ result: { type: 'stopped' } } as never);
              observer.complete();
              break;
          }
        });
        bridge.subscribe(id, request);
        return () => {
          stopListening();
          if (!done) bridge.unsubscribe(id);
          done = true;
        };
      });
}
