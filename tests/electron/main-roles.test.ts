import { createTRPCClient } from '@trpc/client';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppRouter } from '../../electron/api/router';
import { fingerprintOf } from '../../electron/server/tls';
import { pinnedAgent, pinnedFetch, type HubPin } from '../../electron/satellite/hub-tls';
import { ipcLink } from '../../src/api/ipc-link';
import type { FakeElectron } from './support/fake-electron';
import { loadMain } from './support/load-main';
import { waitFor } from '../support/wait';
import { fakeRenderer } from './support/fake-electron-ipc';

/**
 * electron/main.ts in the roles of issue 14, against the stand-in Electron API: a hub (HTTPS
 * with its certificate, pairing from its console over IPC) and a satellite started with the
 * code that console made (no lot database; its window loads from its own loopback runtime,
 * which relays to the hub). Two main modules run in this one process, each with its own fake.
 */
const lines: string[] = [];

const data = <T>(body: unknown) => (body as { result: { data: T } }).result.data;

describe('electron/main.ts as a hub and as its satellite', () => {
  let hub: FakeElectron | undefined;
  let satellite: FakeElectron | undefined;
  let hubUrl: string;
  let pin: HubPin;
  let agent: ReturnType<typeof pinnedAgent>;
  let hubFetch: typeof fetch;
  let staffToken: string | undefined;
  let console_: ReturnType<typeof createTRPCClient<AppRouter>>;
  const hubDir = mkdtempSync(join(tmpdir(), 'kiosk-main-hub-'));
  const satelliteDir = mkdtempSync(join(tmpdir(), 'kiosk-main-satellite-'));
  let logSpy: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    logSpy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    hub = await loadMain({ KIOSK_DATA_DIR: hubDir, KIOSK_STAFF_PIN: '482916', KIOSK_ROLE: 'hub', KIOSK_SERVE_LAN: '127.0.0.1:0', NODE_ENV: 'production' });
    const line = await waitFor(() => lines.find((entry) => entry.includes('hub over HTTPS')));
    hubUrl = /https:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
    const certificate = readFileSync(join(hubDir, 'hub-tls.crt'), 'utf8');
    pin = { fingerprint: fingerprintOf(certificate), certificate };
    agent = pinnedAgent(pin);
    hubFetch = pinnedFetch(pin, agent);
    const renderer = fakeRenderer(hub.ipcMain, 'kiosk://app/index.html');
    console_ = createTRPCClient<AppRouter>({ links: [ipcLink(renderer.bridge, () => staffToken)] });
  }, 60_000);

  afterAll(() => {
    satellite?.app.emit('will-quit');
    hub?.app.emit('will-quit');
    agent?.destroy();
    logSpy.mockRestore();
  });

  it('hub: serves the lot over HTTPS with the certificate it made in its data folder, never plain HTTP', async () => {
    expect(hub!.calls.errorBoxes).toEqual([]);
    expect(existsSync(join(hubDir, 'kiosk.db'))).toBe(true);
    const slots = data<unknown[]>(await (await hubFetch(`${hubUrl}/trpc/slot.list`)).json());
    expect(slots.length).toBeGreaterThanOrEqual(20);
    await expect(fetch(`${hubUrl.replace('https:', 'http:')}/trpc/slot.list`)).rejects.toThrow();
    // The hub's own screen still talks IPC.
    expect(hub!.BrowserWindow.all[0]!.webContents.loaded).toEqual(['kiosk://app/index.html']);
    expect(hub!.BrowserWindow.all[0]!.options.webPreferences.preload).toMatch(/preload/);
  });

  it('satellite: pairs with a code from the hub console, opens no lot database, and its window loads from its loopback runtime', async () => {
    staffToken = (await console_.auth.login.mutate({ pin: '482916' })).token;
    const code = await console_.satellite.createCode.mutate();
    expect(code.fingerprint).toBe(pin.fingerprint);

    satellite = await loadMain({
      KIOSK_DATA_DIR: satelliteDir,
      KIOSK_ROLE: 'satellite',
      KIOSK_HUB_URL: hubUrl,
      KIOSK_PAIR_CODE: code.code,
      KIOSK_SATELLITE_NAME: 'Gate B',
      KIOSK_SATELLITE_PORT: '0',
      NODE_ENV: 'production',
    });
    const window = await waitFor(() => satellite!.BrowserWindow.all[0]);
    const base = /^http:\/\/127\.0\.0\.1:\d+/.exec(window.webContents.loaded[0] ?? '')?.[0];
    expect(window.webContents.loaded).toEqual([`${base}/`]);
    expect(satellite.calls.errorBoxes).toEqual([]);
    expect(existsSync(join(satelliteDir, 'kiosk.db'))).toBe(false);
    expect(existsSync(join(satelliteDir, 'hub.json'))).toBe(true);
    expect(satellite.ipcMain.handlers.size).toBe(0);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(window.options.webPreferences.preload).toBeUndefined();

    // The window may stay on its runtime's origin, and nowhere else.
    const inside = {
      url: `${base}/#/find`,
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    window.webContents.emit('will-navigate', inside);
    expect(inside.prevented).toBe(false);
    const away = {
      url: 'http://127.0.0.1:1/',
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    window.webContents.emit('will-navigate', away);
    expect(away.prevented).toBe(true);

    // Ctrl+Shift+S: the staff console from the same runtime, also without the IPC bridge.
    const shortcut = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    window.webContents.emit('before-input-event', shortcut, { type: 'keyDown', key: 'S', control: true, shift: true, meta: false, alt: false });
    const staff = satellite.BrowserWindow.all[1]!;
    expect(staff.webContents.loaded).toEqual([`${base}/#/staff`]);
    expect(staff.options.webPreferences.preload).toBeUndefined();

    // The runtime answers the link state itself, and relays the rest to the hub.
    const status = await waitFor(async () => {
      const answer = data<{ role: string; state: string; hubUrl: string }>(await (await fetch(`${base}/trpc/link.status`)).json());
      return answer.state === 'online' ? answer : undefined;
    });
    expect(status).toMatchObject({ role: 'satellite', hubUrl });
    const slots = data<{ id: number; available: boolean }[]>(await (await fetch(`${base}/trpc/slot.list`)).json());
    const free = slots.find((slot) => slot.available)!;
    const created = await fetch(`${base}/trpc/booking.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slotId: free.id, vehicleNumber: 'KL07AB4821', bookingType: 'instant' }),
    });
    expect(created.status).toBe(200);
    const atHub = data<{ id: number; available: boolean }[]>(await (await hubFetch(`${hubUrl}/trpc/slot.list`)).json());
    expect(atHub.find((slot) => slot.id === free.id)?.available).toBe(false);

    // The hub's console sees the satellite in touch (its first report is from before its first lease).
    const listed = await waitFor(async () =>
      (await console_.satellite.list.query()).find((entry) => entry.name === 'Gate B' && entry.connection === 'connected' && entry.report?.state === 'online'),
    );
    expect(listed.report?.leasedSlots).toBeGreaterThan(0);

    // Quitting stops the runtime.
    satellite.app.emit('will-quit');
    satellite = undefined;
    await expect(fetch(`${base}/trpc/link.status`)).rejects.toThrow();
  }, 60_000);

  it('satellite: a second start with the same code keeps its pairing and does not pair again', async () => {
    const before = readFileSync(join(satelliteDir, 'hub.json'), 'utf8');
    satellite = await loadMain({
      KIOSK_DATA_DIR: satelliteDir,
      KIOSK_ROLE: 'satellite',
      KIOSK_HUB_URL: hubUrl,
      KIOSK_PAIR_CODE: 'USEDCODE',
      KIOSK_SATELLITE_PORT: '0',
    });
    await waitFor(() => satellite!.BrowserWindow.all[0]);
    expect(satellite.calls.errorBoxes).toEqual([]);
    expect(lines.some((line) => line.includes('already paired with'))).toBe(true);
    expect(readFileSync(join(satelliteDir, 'hub.json'), 'utf8')).toBe(before);
    satellite.app.emit('will-quit');
    satellite = undefined;
  }, 60_000);

  it('hub: stops serving on quit', async () => {
    hub!.app.emit('will-quit');
    hub = undefined;
    await expect(hubFetch(`${hubUrl}/trpc/slot.list`)).rejects.toThrow();
  });
});
