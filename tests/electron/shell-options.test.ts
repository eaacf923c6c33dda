import { describe, expect, it } from 'vitest';
import { DEFAULT_LAN_HOST, DEFAULT_LAN_PORT, DEFAULT_SATELLITE_PORT, parseLan, parseLaunchOptions } from '../../electron/window/launch-options';
import { shortcutAction, type KeyInput } from '../../electron/window/shortcuts';

describe('launch options', () => {
  const argv = (...flags: string[]) => ['/opt/kiosk/electron', '.', ...flags];

  it('defaults to one kiosk window, no HTTP, devtools only in development', () => {
    const dev = parseLaunchOptions(argv(), {}, false);
    expect(dev).toMatchObject({ staffWindow: false, lan: null, dataDir: undefined, devTools: true, production: false });
    expect(parseLaunchOptions(argv(), {}, true)).toMatchObject({ devTools: false, production: true });
    expect(parseLaunchOptions(argv(), { NODE_ENV: 'production' }, false)).toMatchObject({ devTools: false, production: true });
    // `npm start` sets KIOSK_DEVTOOLS=0: a kiosk started that way has no devtools.
    expect(parseLaunchOptions(argv(), { KIOSK_DEVTOOLS: '0' }, false)).toMatchObject({ devTools: false, production: false });
    expect(parseLaunchOptions(argv(), { KIOSK_GENERATE_STAFF_PIN: '1' }, false).generateStaffPin).toBe(true);
  });

  it('opens the staff window from --staff-window or KIOSK_STAFF_WINDOW', () => {
    expect(parseLaunchOptions(argv('--staff-window'), {}, true).staffWindow).toBe(true);
    expect(parseLaunchOptions(argv(), { KIOSK_STAFF_WINDOW: '1' }, true).staffWindow).toBe(true);
    expect(parseLaunchOptions(argv('--staff-windows'), {}, true).staffWindow).toBe(false);
  });

  it('serves HTTP on 127.0.0.1 unless told otherwise', () => {
    expect(parseLaunchOptions(argv('--serve-lan'), {}, true).lan).toEqual({ host: DEFAULT_LAN_HOST, port: DEFAULT_LAN_PORT });
    expect(parseLaunchOptions(argv('--serve-lan=0.0.0.0:8080'), {}, true).lan).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseLaunchOptions(argv(), { KIOSK_SERVE_LAN: '1', KIOSK_LAN_PORT: '9000' }, true).lan).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseLaunchOptions(argv(), { KIOSK_SERVE_LAN: '0' }, true).lan).toBeNull();
    expect(parseLan(':0')).toEqual({ host: DEFAULT_LAN_HOST, port: 0 });
    expect(parseLan('[::1]:81')).toEqual({ host: '::1', port: 81 });
    expect(parseLan('192.168.1.5')).toEqual({ host: '192.168.1.5', port: DEFAULT_LAN_PORT });
    expect(() => parseLan('host:99999')).toThrow(/port/);
    expect(() => parseLan('a:b:c')).toThrow(/HOST:PORT/);
  });

  it('takes the data folder, staff PIN and test clock (never in a packaged app) from the environment', () => {
    expect(parseLaunchOptions(argv('--data-dir=/tmp/k'), {}, true).dataDir).toBe('/tmp/k');
    expect(parseLaunchOptions(argv(), { KIOSK_DATA_DIR: '/var/k', KIOSK_STAFF_PIN: '482916' }, true)).toMatchObject({
      dataDir: '/var/k',
      staffPin: '482916',
    });
    expect(parseLaunchOptions(argv(), { KIOSK_TEST_CLOCK: '1' }, false).testClock).toBe(true);
    expect(parseLaunchOptions(argv(), { KIOSK_TEST_CLOCK: '1' }, true).testClock).toBe(false);
  });

  it('runs as a single kiosk unless a role is given; hub and satellite take the options of `npm run serve`', () => {
    expect(parseLaunchOptions(argv(), {}, true)).toMatchObject({ role: 'single', hubUrl: undefined, pair: null, satellitePort: DEFAULT_SATELLITE_PORT });
    expect(parseLaunchOptions(argv('--role', 'hub'), {}, true).role).toBe('hub');
    expect(parseLaunchOptions(argv('--role=hub'), {}, true).role).toBe('hub');
    expect(parseLaunchOptions(argv(), { KIOSK_ROLE: 'hub' }, true).role).toBe('hub');
    const satellite = parseLaunchOptions(
      argv('--role', 'satellite', '--hub', 'https://192.168.1.20:4780', '--pair', 'AB3C4D6E', '--name', 'Gate B', '--data', '/var/gate-b', '--port', '0'),
      {},
      true,
    );
    expect(satellite).toMatchObject({
      role: 'satellite',
      hubUrl: 'https://192.168.1.20:4780',
      pair: { code: 'AB3C4D6E', name: 'Gate B' },
      dataDir: '/var/gate-b',
      satellitePort: 0,
    });
    expect(
      parseLaunchOptions(
        argv(),
        { KIOSK_ROLE: 'satellite', KIOSK_HUB_URL: 'https://h:1', KIOSK_PAIR_CODE: 'X', KIOSK_SATELLITE_NAME: 'B', KIOSK_SATELLITE_PORT: '5000' },
        true,
      ),
    ).toMatchObject({ role: 'satellite', hubUrl: 'https://h:1', pair: { code: 'X', name: 'B' }, satellitePort: 5000 });
    // A satellite already paired needs no code.
    expect(parseLaunchOptions(argv('--role', 'satellite'), {}, true)).toMatchObject({ role: 'satellite', pair: null });
    expect(() => parseLaunchOptions(argv('--role', 'server'), {}, true)).toThrow(/single, hub or satellite/);
    expect(() => parseLaunchOptions(argv('--pair', 'AB3C4D6E'), {}, true)).toThrow(/--role satellite --hub/);
    expect(() => parseLaunchOptions(argv('--role', 'satellite', '--pair', 'AB3C4D6E'), {}, true)).toThrow(/--hub/);
    expect(() => parseLaunchOptions(argv('--role', 'satellite', '--port', '70000'), {}, true)).toThrow(/--port/);
  });

  it('takes the central server from --central/--central-key or KIOSK_CENTRAL_URL/KIOSK_CENTRAL_KEY', () => {
    expect(parseLaunchOptions(argv(), {}, true).central).toEqual({ url: undefined, key: undefined });
    expect(parseLaunchOptions(argv('--central', 'http://127.0.0.1:9', '--central-key=k1'), {}, true).central).toEqual({ url: 'http://127.0.0.1:9', key: 'k1' });
    expect(parseLaunchOptions(argv(), { KIOSK_CENTRAL_URL: 'http://127.0.0.1:8', KIOSK_CENTRAL_KEY: 'k2' }, true).central).toEqual({
      url: 'http://127.0.0.1:8',
      key: 'k2',
    });
  });
});

describe('keyboard shortcuts in the kiosk window', () => {
  const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    type: 'keyDown',
    key: k,
    control: false,
    meta: false,
    shift: false,
    alt: false,
    ...mods,
  });

  it('Ctrl+Shift+S (or Cmd+Shift+S) opens the staff console, in production too', () => {
    expect(shortcutAction(key('S', { control: true, shift: true }), true)).toBe('open-staff');
    expect(shortcutAction(key('s', { meta: true, shift: true }), false)).toBe('open-staff');
    expect(shortcutAction({ ...key('S', { control: true, shift: true }), type: 'keyUp' }, true)).toBe('pass');
  });

  it('swallows reload, devtools, zoom, close, print and history keys in production', () => {
    for (const input of [
      key('r', { control: true }),
      key('F5'),
      key('F12'),
      key('I', { control: true, shift: true }),
      key('+', { control: true }),
      key('-', { control: true }),
      key('0', { control: true }),
      key('w', { control: true }),
      key('p', { control: true }),
      key('ArrowLeft', { alt: true }),
      key('F4', { alt: true }),
    ]) {
      expect(shortcutAction(input, true), JSON.stringify(input)).toBe('block');
    }
  });

  it('lets typing through, and leaves developers their shortcuts', () => {
    for (const k of ['a', 'K', '7', 'Backspace', 'Enter', ' ']) expect(shortcutAction(key(k), true)).toBe('pass');
    expect(shortcutAction(key('A', { shift: true }), true)).toBe('pass');
    expect(shortcutAction(key('r', { control: true }), false)).toBe('pass');
    expect(shortcutAction(key('F12'), false)).toBe('pass');
  });
});
