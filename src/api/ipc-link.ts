import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../../electron/api/router';
import type { IpcRequest, IpcResponse, IpcSubscriptionEvent } from '../../electron/ipc/protocol';

/** What electron/preload.ts exposes on window.kioskIpc. */
export interface KioskIpcBridge {
  call(request: IpcRequest): Promise<IpcResponse>;
  subscribe(id: string, request: IpcRequest): void;
  unsubscribe(id: string): void;
  onEvent(listener: (event: IpcSubscriptionEvent) => void): () => void;
}

let nextId = 0;

/** A terminating tRPC link over Electron IPC, subscriptions included. */
export function ipcLink(bridge: KioskIpcBridge, tokenFor: (input: unknown) => string | undefined): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const request: IpcRequest = { type: op.type, path: op.path, input: op.input, token: tokenFor(op.input) };
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
            (cause: unknown) => live && observer.error(TRPCClientError.from(cause as Error)),
          );
          return () => {
            live = false;
          };
        }
        const id = `sub-${Date.now().toString(36)}-${(nextId += 1)}`;
        const stop = bridge.onEvent((event) => {
          if (event.id !== id) return;
          if (event.kind === 'data') observer.next({ result: { type: 'data', data: event.data } } as never);
          else if (event.kind === 'error') observer.error(TRPCClientError.from({ error: event.error } as never));
          else observer.complete();
        });
        bridge.subscribe(id, request);
        return () => {
          stop();
          bridge.unsubscribe(id);
        };
      });
}
