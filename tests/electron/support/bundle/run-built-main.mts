// Runs a built out/main/index.js against the fake Electron and prints what it did as JSON.
// Usage: node --import tsx --import ./register-fake-electron.mjs run-built-main.mts <out/main/index.js>
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { FakeElectron } from '../fake-electron';

const bundle = process.argv[2]!;
await import(pathToFileURL(bundle).href);
await new Promise((resolve) => setTimeout(resolve, 200));
const fake = (globalThis as { fakeElectron?: FakeElectron }).fakeElectron!;
const window = fake.BrowserWindow.all[0];
const event = { sender: window!.webContents, senderFrame: { url: 'kiosk://app/index.html' } };
const slots = (await fake.ipcMain.invoke('kiosk-trpc:call', event, { type: 'query', path: 'slot.list', input: {} })) as {
  ok: boolean;
  data?: unknown[];
};
const page = await fake.protocolHandlers.get('kiosk')!(new Request('kiosk://app/#/staff'));
const html = await page.text();
fake.app.emit('will-quit');
console.log(
  JSON.stringify({
    errors: fake.calls.errorBoxes,
    windows: fake.BrowserWindow.all.length,
    loaded: window?.webContents.loaded,
    preload: window?.options.webPreferences.preload,
    preloadExists: existsSync(window?.options.webPreferences.preload),
    slots: slots.ok ? slots.data!.length : slots,
    page: { status: page.status, type: page.headers.get('content-type'), csp: page.headers.get('content-security-policy'), root: html.includes('id="root"') },
  }),
);
process.exit(0);
