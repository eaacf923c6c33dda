/** What crosses the Electron IPC boundary: plain, structured-clone-safe objects. */
export type IpcProcedureType = 'query' | 'mutation' | 'subscription';

export interface IpcRequest {
  type: IpcProcedureType;
  path: string;
  input: unknown;
  token?: string;
}

export interface IpcErrorShape {
  message: string;
  code: number;
  data: { code: string; httpStatus: number; path?: string } & Record<string, unknown>;
}

export type IpcResponse = { ok: true; data: unknown } | { ok: false; error: IpcErrorShape };

export type IpcSubscriptionEvent =
  | { id: string; kind: 'data'; data: unknown }
  | { id: string; kind: 'error'; error: IpcErrorShape }
  | { id: string; kind: 'stopped' };

export const IPC_CHANNELS = {
  call: 'kiosk-trpc:call',
  subscribe: 'kiosk-trpc:subscribe',
  unsubscribe: 'kiosk-trpc:unsubscribe',
  event: 'kiosk-trpc:event',
} as const;
