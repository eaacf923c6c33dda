import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FakeIpcMain } from './fake-electron-ipc';

/**
 * Just enough of Electron's main-process API for electron/main.ts to run in plain Node
 * under `vi.mock('electron')`: it records what main asks for (window options, handlers,
 * loaded URLs) so tests can check the wiring without the Electron binary.
 */
export function createFakeElectron(options: { appPath: string; singleInstance?: boolean }) {
  const calls = {
    applicationMenu: [] as unknown[],
    quit: 0,
    exit: [] as number[],
    errorBoxes: [] as { title: string; content: string }[],
    privilegedSchemes: [] as unknown[],
    /** Switches main appended, and whether app.whenReady() had been asked for yet (switches must come first). */
    switches: [] as { name: string; value: string | undefined; beforeReady: boolean }[],
    readyAsked: false,
  };
  const paths = new Map<string, string>([['userData', '/nonexistent/userData']]);
  let nextContentsId = 100;

  class FakeWebContents extends EventEmitter {
    readonly id = nextContentsId++;
    destroyed = false;
    readonly loaded: string[] = [];
    readonly sent: { channel: string; args: unknown[] }[] = [];
    crashed = 0;
    zoomLimits: [number, number] | undefined;
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    send(channel: string, ...args: unknown[]) {
      if (this.destroyed) throw new Error('Object has been destroyed');
      this.sent.push({ channel, args });
    }
    isDestroyed() {
      return this.destroyed;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    async setVisualZoomLevelLimits(min: number, max: number) {
      this.zoomLimits = [min, max];
    }
    forcefullyCrashRenderer() {
      this.crashed += 1;
    }
    getURL() {
      return this.loaded.at(-1) ?? '';
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static all: FakeBrowserWindow[] = [];
    static getAllWindows() {
      return FakeBrowserWindow.all.filter((window) => !window.destroyed);
    }
    readonly webContents = new FakeWebContents();
    destroyed = false;
    menuRemoved = false;
    shown = false;
    focused = 0;
    constructor(readonly options: Record<string, any>) {
      super();
      FakeBrowserWindow.all.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.webContents.loaded.push(url);
    }
    removeMenu() {
      this.menuRemoved = true;
    }
    show() {
      this.shown = true;
    }
    focus() {
      this.focused += 1;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isVisible() {
      return this.shown;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    close() {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.webContents.emit('destroyed');
      this.emit('closed');
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    whenReady: () => {
      calls.readyAsked = true;
      return Promise.resolve();
    },
    commandLine: {
      appendSwitch: (name: string, value?: string) => void calls.switches.push({ name, value, beforeReady: !calls.readyAsked }),
      hasSwitch: (name: string) => calls.switches.some((entry) => entry.name === name),
      getSwitchValue: (name: string) => calls.switches.find((entry) => entry.name === name)?.value ?? '',
    },
    requestSingleInstanceLock: () => options.singleInstance ?? true,
    getPath: (name: string) => paths.get(name) ?? `/nonexistent/${name}`,
    setPath: (name: string, value: string) => void paths.set(name, value),
    getAppPath: () => options.appPath,
    quit: () => {
      calls.quit += 1;
    },
    exit: (code: number) => void calls.exit.push(code),
  });

  const permission = { request: undefined as any, check: undefined as any };
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const ipcMain = new FakeIpcMain();

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Menu: { setApplicationMenu: (menu: unknown) => void calls.applicationMenu.push(menu) },
    dialog: { showErrorBox: (title: string, content: string) => void calls.errorBoxes.push({ title, content }) },
    ipcMain,
    // Node's fetch has no file: URLs; Electron's net.fetch does.
    net: { fetch: async (url: string) => new Response(await readFile(fileURLToPath(url))) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void calls.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: unknown) => (permission.request = handler),
        setPermissionCheckHandler: (handler: unknown) => (permission.check = handler),
      },
    },
  };
  return { module, calls, permission, protocolHandlers, ipcMain, BrowserWindow: FakeBrowserWindow, app };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
