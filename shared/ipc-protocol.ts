/**
 * What crosses the Electron IPC boundary: plain, structured-clone-safe objects. Shared by main
 * (electron/ipc), the preload (electron/preload.ts) and the renderer (src/api/ipc-link.ts).
 */
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
  | { id: string; kind: 'started' }
  /** `trackedId` is set when the procedure yields `tracked(id, data)`. */
  | { id: string; kind: 'data'; data: unknown; trackedId?: string }
  | { id: string; kind: 'error'; error: IpcErrorShape }
  | { id: string; kind: 'stopped' };

/**
 * What electron/preload.ts exposes on window.kioskIpc and src/api/ipc-link.ts calls: the one
 * shape both sides of the bridge agree on, so it lives with the protocol rather than on either side.
 */
export interface KioskIpcBridge {
  call(request: IpcRequest): Promise<IpcResponse>;
  subscribe(id: string, request: IpcRequest): void;
  unsubscribe(id: string): void;
  /** Adds a listener for subscription events; returns its removal. */
  onEvent(listener: (event: IpcSubscriptionEvent) => void): () => void;
}

export const IPC_CHANNELS = {
  call: 'kiosk-trpc:call',
  subscribe: 'kiosk-trpc:subscribe',
  unsubscribe: 'kiosk-trpc:unsubscribe',
  event: 'kiosk-trpc:event',
} as const;

const PROCEDURE_TYPES: readonly string[] = ['query', 'mutation', 'subscription'];
const MAX_PATH_LENGTH = 200;
const MAX_TOKEN_LENGTH = 1_000;
const MAX_ID_LENGTH = 100;

/**
 * Checks the shape of a request from a renderer before it reaches the router: the renderer
 * shows web content, so main treats what it sends as untrusted. The input itself is left to
 * the procedures' zod schemas.
 */
export function parseIpcRequest(value: unknown): IpcRequest | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, path, input, token } = value as Record<string, unknown>;
  if (typeof type !== 'string' || !PROCEDURE_TYPES.includes(type)) return null;
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH || !/^[\w.]+$/.test(path)) return null;
  if (token !== undefined && (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)) return null;
  return { type: type as IpcProcedureType, path, input, ...(token === undefined ? {} : { token }) };
}

export function isSubscriptionId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
