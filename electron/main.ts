import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, type WebContents } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createIpcHandler } from './ipc/handler';
import { mountIpcHandler, type MountedIpc } from './ipc/mount';
import { announceFirstRun, bootKiosk, type BootedKiosk } from './app/boot';
import { shortFingerprint } from './core/pairing/proof';
import { createKioskHttpServer } from './server/http';
import { announceHubTls, prepareHubTls } from './server/hub-tls-server';
import { pairWithHub, readHubLink } from './satellite/pairing';
import { createSatelliteRuntime, type SatelliteRuntime } from './satellite/runtime';
import { startSyncIfConfigured } from './sync/start';
import type { SyncWorker } from './sync/worker';
import { APP_CSP, contentTypeOf, resolveAppFile } from './window/app-protocol';
import { kioskSwitches } from './window/command-line';
import { DEFAULT_LAN_HOST, DEFAULT_LAN_PORT, parseLaunchOptions } from './window/launch-options';
import { allowedOrigins, APP_ORIGIN, APP_SCHEME, isAllowedNavigation, screenUrl } from './window/navigation';
import { explainStartupError, resolveMigrationsFolder, resolveNativeBinding, type AppPlaces } from './window/paths';
import { RendererWatchdog } from './window/recovery';
import { shortcutAction } from './window/shortcuts';

/**
 * The Electron kiosk: one fullscreen kiosk window on the driver screen, an optional staff
 * console window, the booking engine in this process over IPC, and optionally the same app
 * over HTTP for staff PCs on the lot's network. Everything testable lives in ./window and
 * ./ipc; this file only connects it to Electron.
 *
 * Roles (issue 14, docs/multi-kiosk.md "In Electron"): `single` as above; `hub` the same, with
 * the network server on HTTPS with the hub's certificate so satellites can pair from the
 * console; `satellite` opens no lot database: it pairs if asked, runs the satellite runtime on
 * loopback and loads its windows from there (HTTP + SSE, no IPC).
 */

const options = parseLaunchOptions(process.argv, process.env, app.isPackaged);
const log = (message: string) => console.log(`[kiosk] ${message}`);

// Before anything reads userData (the single-instance lock lives there too).
if (options.dataDir) {
  mkdirSync(options.dataDir, { recursive: true });
  app.setPath('userData', options.dataDir);
}

// Before ready: Chromium reads its switches at start-up (speech on Linux, window/command-line.ts).
for (const [name, value] of kioskSwitches(process.platform)) app.commandLine.appendSwitch(name, value);

// A standard, secure scheme gives the renderer a real origin ('self' in its CSP, storage
// scoped to the app) instead of file://, which any local file shares.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const mainDir = import.meta.dirname;
const rendererDir = join(mainDir, '..', 'renderer');
const preloadPath = join(mainDir, '..', 'preload', 'index.cjs');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
let appBaseUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;
const origins = allowedOrigins(devServerUrl);

const SHOW_FALLBACK_MS = 10_000;

let kiosk: BootedKiosk | undefined;
let ipc: MountedIpc | undefined;
let lanServer: Server | undefined;
let satellite: SatelliteRuntime | undefined;
let sync: SyncWorker | null = null;
let kioskWindow: BrowserWindow | undefined;
let staffWindow: BrowserWindow | undefined;
let quitting = false;
/** will-quit ran: anything still starting (pairing, TLS) must not open windows or servers after it. */
let stopped = false;

if (!app.requestSingleInstanceLock()) {
  // Another kiosk is already running on this profile: it gets focused, this one leaves.
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    if (kioskWindow && !kioskWindow.isDestroyed()) {
      if (kioskWindow.isMinimized()) kioskWindow.restore();
      kioskWindow.focus();
    }
    if (staffWindowAsked(argv)) openStaffWindow();
  });
  app.on('web-contents-created', (_event, contents) => lockNavigation(contents));
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', shutdown);
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => fail(error));
}

function start(): void {
  Menu.setApplicationMenu(null);
  denyPermissions();
  serveRenderer();
  if (options.role === 'satellite') {
    startSatellite().catch((error: unknown) => fail(error));
    return;
  }

  const places: AppPlaces = { mainDir, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, env: process.env };
  let nativeBinding: string | undefined;
  try {
    nativeBinding = resolveNativeBinding(places, existsSync);
    if (nativeBinding) log(`SQLite driver: ${nativeBinding}`);
    const migrationsFolder = resolveMigrationsFolder(places, existsSync);
    log(`migrations: ${migrationsFolder}`);
    kiosk = bootKiosk({
      dbFile: join(app.getPath('userData'), 'kiosk.db'),
      demo: true,
      migrationsFolder,
      nativeBinding,
      staffPin: options.staffPin,
      generateOwnerPin: options.generateStaffPin,
      testClock: options.testClock,
    });
    announceFirstRun(kiosk, log);
    // Issue 15: the lot's changes go to the central server when one is configured.
    sync = startSyncIfConfigured(kiosk.core, options.central);
  } catch (error) {
    fail(error, nativeBinding);
    return;
  }
  log(`database: ${kiosk.core.db.file}`);

  const handler = createIpcHandler(kiosk.router, kiosk.env);
  ipc = mountIpcHandler(ipcMain, handler, { isTrustedFrame: (url) => isAllowedNavigation(url, origins), log });

  openWindows();
  if (options.role === 'hub') {
    // A hub serves its satellites, so it always listens (127.0.0.1:4780 unless --serve-lan says where).
    startHubServer(kiosk, options.lan ?? { host: DEFAULT_LAN_HOST, port: DEFAULT_LAN_PORT }).catch((error: unknown) => fail(error));
  } else if (options.lan) startLanServer(kiosk, options.lan);
}

function openWindows(): void {
  kioskWindow = createWindow('kiosk');
  kioskWindow.on('closed', () => {
    kioskWindow = undefined;
    app.quit();
  });
  if (options.staffWindow) openStaffWindow();
}

/**
 * The satellite role: no lot database here. Pair first when asked (a kiosk that cannot pair
 * says so and stops), then the satellite runtime on loopback, and the windows load from it:
 * the renderer speaks HTTP + SSE to it as to any kiosk server, and it relays to the hub.
 */
async function startSatellite(): Promise<void> {
  const dataDir = app.getPath('userData');
  if (options.pair) await pairUnlessPaired(dataDir, options.hubUrl!, options.pair);
  if (stopped) return;
  satellite = createSatelliteRuntime({ dataDir, hubUrl: options.hubUrl, staticDir: rendererDir, testClock: options.testClock, log });
  const runtime = satellite;
  const port = await runtime.listen(options.satellitePort, '127.0.0.1');
  if (stopped) return void runtime.close();
  const base = `http://127.0.0.1:${port}`;
  origins.push(base);
  appBaseUrl = `${base}/`;
  log(`satellite of ${runtime.hubUrl}: screens from ${base}/`);
  openWindows();
}

/** The same launcher may keep its --pair: a kiosk already paired with this hub does not pair again. */
async function pairUnlessPaired(dataDir: string, hubUrl: string, pair: { code: string; name: string | undefined }): Promise<void> {
  let paired: ReturnType<typeof readHubLink> = null;
  try {
    paired = readHubLink(dataDir);
  } catch {
    // An unreadable pairing file: pair again.
  }
  if (paired && paired.hubUrl === hubUrl.replace(/\/+$/, '')) {
    log(`already paired with ${paired.hubUrl} as "${paired.name}"; the pairing code is not used (delete ${join(dataDir, 'hub.json')} to pair again)`);
    return;
  }
  try {
    const link = await pairWithHub({ hubUrl, code: pair.code, name: pair.name, dataDir });
    log(`paired with the hub at ${link.hubUrl} as "${link.name}" (${link.satelliteId}); hub fingerprint ${shortFingerprint(link.fingerprint)}`);
  } catch (error) {
    throw new Error(`Pairing with ${hubUrl} failed: ${(error as Error).message}`, { cause: error });
  }
}

function staffWindowAsked(argv: string[]): boolean {
  try {
    return parseLaunchOptions(argv, {}, app.isPackaged).staffWindow;
  } catch {
    return false;
  }
}

function createWindow(screen: 'kiosk' | 'staff'): BrowserWindow {
  const isKiosk = screen === 'kiosk';
  const window = new BrowserWindow({
    title: isKiosk ? 'Parking Kiosk' : 'Parking Kiosk — Staff console',
    show: false,
    backgroundColor: '#0b1220',
    ...(isKiosk ? { kiosk: true, fullscreen: true } : { width: 1280, height: 860, alwaysOnTop: true }),
    autoHideMenuBar: true,
    webPreferences: {
      // A satellite's windows speak HTTP to its runtime: no IPC bridge for them to find.
      ...(satellite ? {} : { preload: preloadPath }),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  window.removeMenu();
  window.once('ready-to-show', () => window.show());
  // A renderer that dies before its first paint never sends ready-to-show; show the window
  // anyway so recovery happens on screen rather than behind a hidden window.
  const showAnyway = setTimeout(() => {
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  }, SHOW_FALLBACK_MS);
  window.once('closed', () => clearTimeout(showAnyway));
  const contents = window.webContents;
  const load = () => {
    if (!window.isDestroyed()) void window.loadURL(screenUrl(appBaseUrl, screen)).catch(() => {});
  };

  // No pinch zoom on a touchscreen.
  void contents.setVisualZoomLevelLimits(1, 1);
  contents.on('before-input-event', (event, input) => {
    const action = shortcutAction(input, options.production);
    if (action === 'pass') return;
    event.preventDefault();
    if (action === 'open-staff') openStaffWindow();
  });

  const watchdog = new RendererWatchdog({
    reload: load,
    restartHung: () => {
      if (window.isDestroyed()) return;
      contents.forcefullyCrashRenderer();
      load();
    },
    log: (message) => log(`${screen} window: ${message}`),
  });
  const contentsId = contents.id;
  contents.on('render-process-gone', (_event, details) => {
    ipc?.stopSubscriptionsOf(contentsId);
    watchdog.rendererGone(details.reason, quitting);
  });
  contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    // -3 is ERR_ABORTED: a newer navigation replaced this one, nothing failed.
    if (!isMainFrame || code === -3) return;
    log(`${screen} window: could not load ${url} (${description})`);
    watchdog.rendererGone('launch-failed', quitting);
  });
  window.on('unresponsive', () => watchdog.unresponsive());
  window.on('responsive', () => watchdog.responsive());
  contents.on('did-start-navigation', (details) => {
    // A reload or a new document: the old page's subscriptions have no one to talk to.
    if (details.isMainFrame && !details.isSameDocument) ipc?.stopSubscriptionsOf(contentsId);
  });
  window.on('closed', () => watchdog.dispose());

  load();
  return window;
}

function openStaffWindow(): void {
  if (!kiosk && !satellite) return;
  if (staffWindow && !staffWindow.isDestroyed()) {
    staffWindow.show();
    staffWindow.focus();
    return;
  }
  staffWindow = createWindow('staff');
  staffWindow.on('closed', () => {
    staffWindow = undefined;
  });
}

/** Every web contents (windows, and anything a page might try to embed) stays on the app. */
function lockNavigation(contents: WebContents): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    if (isAllowedNavigation(url, origins)) return;
    event.preventDefault();
    log(`blocked navigation to ${url}`);
  };
  contents.on('will-navigate', (event) => refuse(event, event.url));
  contents.on('will-redirect', (event) => refuse(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}

function denyPermissions(): void {
  // The kiosk needs no camera, location, notifications or anything else a page may ask for.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Serves the built renderer (out/renderer) on kiosk://app with a strict CSP. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir, existsSync);
    if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const response = await net.fetch(pathToFileURL(file).toString());
    return new Response(response.body, {
      status: response.status,
      headers: {
        'content-type': contentTypeOf(file),
        'content-security-policy': APP_CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}

/** The same app over HTTP for staff PCs; 127.0.0.1 unless told otherwise. */
function startLanServer(booted: BootedKiosk, lan: { host: string; port: number }): void {
  const server = createKioskHttpServer(booted, { staticDir: rendererDir, bindHost: lan.host });
  server.on('error', (error) => log(`LAN server could not start on ${lan.host}:${lan.port}: ${error.message}`));
  server.listen(lan.port, lan.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : lan.port;
    log(`staff console over HTTP: http://${lan.host}:${port}/#/staff`);
  });
  lanServer = server;
}

/** The hub role: the network server speaks HTTPS only, with the certificate satellites pin. */
async function startHubServer(booted: BootedKiosk, lan: { host: string; port: number }): Promise<void> {
  const cert = await prepareHubTls(app.getPath('userData'));
  if (stopped || kiosk !== booted) return;
  const server = createKioskHttpServer(booted, { staticDir: rendererDir, bindHost: lan.host, tls: cert });
  lanServer = server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(lan.port, lan.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : lan.port;
  log(`hub over HTTPS: https://${lan.host}:${port}/ (staff console https://${lan.host}:${port}/#/staff)`);
  announceHubTls(booted, cert, port, lan.host, log);
}

function shutdown(): void {
  stopped = true;
  sync?.stop();
  sync = null;
  void satellite?.close();
  satellite = undefined;
  ipc?.unmount();
  ipc = undefined;
  if (lanServer) {
    lanServer.close();
    lanServer.closeAllConnections();
    lanServer = undefined;
  }
  kiosk?.close();
  kiosk = undefined;
}

function fail(error: unknown, nativeBinding?: string): void {
  const message = explainStartupError(error, nativeBinding);
  console.error(message);
  dialog.showErrorBox('Parking Kiosk could not start', message);
  app.exit(1);
}
