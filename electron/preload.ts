import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type IpcRequest, type IpcResponse, type IpcSubscriptionEvent, type KioskIpcBridge } from './ipc/protocol';

/**
 * The renderer's only door to main: four functions over fixed channels. It runs sandboxed
 * (no Node), so it is bundled as one CommonJS file that imports nothing but electron, and it
 * never hands ipcRenderer itself to the page.
 */
const listeners = new Set<(event: IpcSubscriptionEvent) => void>();

// One ipcRenderer listener fans out to the page's listeners, so removing a page listener
// never needs the wrapped function identity across the context bridge.
ipcRenderer.on(IPC_CHANNELS.event, (_event: IpcRendererEvent, message: IpcSubscriptionEvent) => {
  for (const listener of listeners) listener(message);
});

const bridge: KioskIpcBridge = {
  call: (request: IpcRequest) => ipcRenderer.invoke(IPC_CHANNELS.call, request) as Promise<IpcResponse>,
  subscribe: (id: string, request: IpcRequest) => ipcRenderer.send(IPC_CHANNELS.subscribe, id, request),
  unsubscribe: (id: string) => ipcRenderer.send(IPC_CHANNELS.unsubscribe, id),
  onEvent(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('kioskIpc', bridge);
