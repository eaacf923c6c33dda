import { httpLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../electron/api/router';
import { connectionLink } from './connection';
import { credentials } from './credentials';
import type { KioskIpcBridge } from '../../shared/ipc-protocol';
import { ipcLink } from './ipc-link';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in a plain browser. */
    kioskIpc?: KioskIpcBridge;
  }
}

/** One place decides the transport: IPC inside Electron, HTTP + SSE in a browser. */
export function createLinks(): TRPCLink<AppRouter>[] {
  if (window.kioskIpc) return [connectionLink(), ipcLink(window.kioskIpc, credentials.forCall)];
  const url = `${window.location.origin}/trpc`;
  return [
    connectionLink(),
    splitLink({
      condition: (op) => op.type === 'subscription',
      // EventSource cannot send headers, so each subscription carries its token in
      // connectionParams; a link per operation lets that token depend on the operation.
      true: (runtime) => (ctx) =>
        httpSubscriptionLink({
          url,
          connectionParams: () => {
            const token = credentials.forCall(ctx.op.input);
            return token ? { token } : {};
          },
        })(runtime)(ctx),
      false: httpLink({
        url,
        headers: ({ op }) => {
          const token = credentials.forCall(op.input);
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    }),
  ];
}
