// Stands in for the 'electron' module when the built main bundle runs in plain Node
// (see resolve-electron.mjs). The fake is kept on globalThis for run-built-main.mts.
import { createFakeElectron } from '../fake-electron';

const fake = createFakeElectron({ appPath: process.env.KIOSK_FAKE_APP_PATH ?? process.cwd() });
(globalThis as { fakeElectron?: typeof fake }).fakeElectron = fake;
const module = fake.module as Record<string, unknown>;

export const { app, BrowserWindow, Menu, dialog, ipcMain, net, protocol, session } = module;
export default module;
