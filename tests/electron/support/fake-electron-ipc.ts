import type { IpcEventLike, IpcMainLike, IpcSender } from '../../../electron/ipc/mount';
import type { IpcRequest, IpcResponse, IpcSubscriptionEvent, KioskIpcBridge } from '../../../shared/ipc-protocol';
import { IPC_CHANNELS } from '../../../shared/ipc-protocol';

/**
 * An in-memory stand-in for Electron's IPC: a fake ipcMain and one fake renderer per
 * `renderer()` call, whose bridge behaves like electron/preload.ts (invoke for calls, send
 * for subscribe/unsubscribe, events pushed back on one channel). Everything crossing it is
 * structured-cloned, as Electron does, so a value that could not cross IPC fails here too.
 */
type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Listener[]>();

  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  removeAllListeners(channel?: string): this {
    if (channel === undefined) this.listeners.clear();
    else this.listeners.delete(channel);
    return this;
  }

  async invoke(channel: string, event: IpcEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
  emit(channel: string, event: IpcEventLike, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...structuredClone(args));
  }
}

let nextSenderId = 1;

export interface FakeRenderer {
  bridge: KioskIpcBridge;
  sender: IpcSender;
  /** Every subscription event this renderer received, in order. */
  received: IpcSubscriptionEvent[];
  /** Closes the window: Electron emits 'destroyed' on its webContents. */
  destroy(): void;
}

export function fakeRenderer(ipcMain: FakeIpcMain, frameUrl = 'kiosk://app/index.html'): FakeRenderer {
  const pageListeners = new Set<(event: IpcSubscriptionEvent) => void>();
  const destroyedListeners: (() => void)[] = [];
  const received: IpcSubscriptionEvent[] = [];
  let destroyed = false;
  const sender: IpcSender = {
    id: nextSenderId++,
    send(channel: string, ...args: unknown[]) {
      if (destroyed) throw new Error('Object has been destroyed');
      if (channel !== IPC_CHANNELS.event) return;
      const message = structuredClone(args[0]) as IpcSubscriptionEvent;
      received.push(message);
      // Electron delivers asynchronously; so does the fake.
      queueMicrotask(() => {
        for (const listener of pageListeners) listener(message);
      });
    },
    isDestroyed: () => destroyed,
    once(event: 'destroyed', listener: () => void) {
      if (event === 'destroyed') destroyedListeners.push(listener);
      return this;
    },
  };
  const event: IpcEventLike = { sender, senderFrame: { url: frameUrl } };
  const bridge: KioskIpcBridge = {
    call: (request: IpcRequest) => ipcMain.invoke(IPC_CHANNELS.call, event, request) as Promise<IpcResponse>,
    subscribe: (id, request) => ipcMain.emit(IPC_CHANNELS.subscribe, event, id, request),
    unsubscribe: (id) => ipcMain.emit(IPC_CHANNELS.unsubscribe, event, id),
    onEvent(listener) {
      pageListeners.add(listener);
      return () => {
        pageListeners.delete(listener);
      };
    },
  };
  return {
    bridge,
    sender,
    received,
    destroy() {
      destroyed = true;
      for (const listener of destroyedListeners.splice(0)) listener();
    },
  };
}
