import type { IpcHandler } from './handler';
import { IPC_CHANNELS, isSubscriptionId, parseIpcRequest, type IpcErrorShape, type IpcResponse, type IpcSubscriptionEvent } from '../../shared/ipc-protocol';

/**
 * Wires the IPC handler to Electron's ipcMain, typed by the few members it uses so the same
 * code runs against a fake in Node tests. Each renderer (webContents) gets its own
 * subscription namespace, and all of a renderer's subscriptions stop when it is destroyed,
 * reloads or crashes — a reloaded kiosk screen must not leave watchers running in main.
 */
export interface IpcSender {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEventLike {
  readonly sender: IpcSender;
  /** The frame that sent the message; its URL is checked against the app's origins. */
  readonly senderFrame?: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel?: string): unknown;
}

export interface MountOptions {
  /** May this frame use the API? Main passes the navigation allow-list. Default: any. */
  isTrustedFrame?: (url: string) => boolean;
  log?: (message: string) => void;
}

export interface MountedIpc {
  /** Stops every subscription of one renderer (it reloaded or crashed). */
  stopSubscriptionsOf(senderId: number): number;
  /** How many subscriptions one renderer has running. */
  subscriptionsOf(senderId: number): number;
  unmount(): void;
}

const keyFor = (senderId: number, id: string) => `${senderId}:${id}`;

export function mountIpcHandler(ipcMain: IpcMainLike, handler: IpcHandler, options: MountOptions = {}): MountedIpc {
  const log = options.log ?? (() => {});
  const watched = new Set<number>();
  const trusted = (event: IpcEventLike) => {
    if (!options.isTrustedFrame) return true;
    const url = event.senderFrame?.url;
    return typeof url === 'string' && options.isTrustedFrame(url);
  };
  const stopSubscriptionsOf = (senderId: number) => handler.unsubscribeWhere((key) => key.startsWith(`${senderId}:`));
  const watch = (sender: IpcSender) => {
    if (watched.has(sender.id)) return;
    watched.add(sender.id);
    const senderId = sender.id;
    sender.once('destroyed', () => {
      watched.delete(senderId);
      stopSubscriptionsOf(senderId);
    });
  };

  ipcMain.handle(IPC_CHANNELS.call, async (event, raw: unknown): Promise<IpcResponse> => {
    const request = parseIpcRequest(raw);
    if (!trusted(event) || !request) {
      log(`ipc: refused a call from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return refusal(request !== null);
    }
    return handler.call(request);
  });

  ipcMain.on(IPC_CHANNELS.subscribe, (event, id: unknown, raw: unknown) => {
    const { sender } = event;
    const request = parseIpcRequest(raw);
    if (!isSubscriptionId(id)) return;
    const send = (message: IpcSubscriptionEvent) => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, { ...message, id });
    };
    if (!trusted(event) || !request) {
      log(`ipc: refused a subscription from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      send({ id, kind: 'error', error: refusal(request !== null).error });
      send({ id, kind: 'stopped' });
      return;
    }
    watch(sender);
    void handler.subscribe(keyFor(sender.id, id), request, send);
  });

  ipcMain.on(IPC_CHANNELS.unsubscribe, (event, id: unknown) => {
    if (isSubscriptionId(id)) handler.unsubscribe(keyFor(event.sender.id, id));
  });

  return {
    stopSubscriptionsOf,
    subscriptionsOf: (senderId) => handler.subscriptionIds().filter((key) => key.startsWith(`${senderId}:`)).length,
    unmount() {
      ipcMain.removeHandler(IPC_CHANNELS.call);
      ipcMain.removeAllListeners(IPC_CHANNELS.subscribe);
      ipcMain.removeAllListeners(IPC_CHANNELS.unsubscribe);
      handler.unsubscribeAll();
    },
  };
}

/** The error for a request main will not run: from a foreign frame (FORBIDDEN) or malformed (BAD_REQUEST). */
function refusal(wellFormed: boolean): { ok: false; error: IpcErrorShape } {
  return wellFormed
    ? { ok: false, error: { message: 'This screen may not use the kiosk API.', code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403 } } }
    : { ok: false, error: { message: 'The request to the kiosk was malformed.', code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400 } } };
}
