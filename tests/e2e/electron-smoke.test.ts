import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary, electronSqliteAvailable, needsNoSandbox } from '../../scripts/electron-binary.mjs';

/**
 * The Electron kiosk itself, through Playwright's `_electron`: the window opens as a locked
 * kiosk and a slot can be booked over IPC. It needs Electron's binary, a display and
 * better-sqlite3 built for Electron; where one is missing — as on our machines — it is
 * skipped and says so.
 */
const root = join(import.meta.dirname, '..', '..');
const binary = electronBinary(root);
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !binary
  ? 'skipped: Electron binary not installed (`npx install-electron` fetches it; see docs/electron.md)'
  : noDisplay
    ? 'skipped: no display for Electron (run the tests under xvfb-run)'
    : !electronSqliteAvailable(root)
      ? 'skipped: better-sqlite3 has no Electron build (resources/native/better_sqlite3.node; see docs/electron.md)'
      : null;
// A plain line in the output, so a skipped smoke test is never mistaken for a passing one.
if (skipReason) console.log(`Electron smoke test ${skipReason}`);

const title = (name: string) => (skipReason ? `${name} — ${skipReason}` : name);

describe.skipIf(skipReason !== null)('the Electron kiosk', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
    expect(built.status, 'electron-vite build').toBe(0);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({
      executablePath: binary!,
      args: [root, ...(needsNoSandbox() ? ['--no-sandbox'] : [])],
      cwd: root,
      env: { ...env, KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-electron-')), KIOSK_STAFF_PIN: '482916', NODE_ENV: 'production' },
    });
    page = await app.firstWindow();
    await page.getByRole('button', { name: 'Book a slot' }).waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it(title('opens one fullscreen kiosk window with no menu, sandboxed, on the app origin'), async () => {
    const state = await app.evaluate(({ BrowserWindow }) => {
      const [window] = BrowserWindow.getAllWindows();
      return {
        windows: BrowserWindow.getAllWindows().length,
        kiosk: window!.isKiosk(),
        menuBar: window!.isMenuBarVisible(),
        url: window!.webContents.getURL(),
        devTools: window!.webContents.isDevToolsOpened(),
      };
    });
    expect(state).toMatchObject({ windows: 1, kiosk: true, menuBar: false, devTools: false });
    expect(state.url).toMatch(/^kiosk:\/\/app\//);
    const page_ = await page.evaluate(() => ({
      bridge: typeof window.kioskIpc?.call,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(page_).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined' });
  });

  it(title('books a slot through the driver screens, over IPC'), async () => {
    await page.getByRole('button', { name: 'Book a slot' }).click();
    await page.locator('[data-slot="A1"]').click();
    await page.getByRole('button', { name: 'Continue with A1' }).click();
    for (const key of 'KL07AB1234') await page.locator(`.plate-keyboard [data-skbtn="${key}"]`).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('readback-yes').click();
    await page.getByRole('button', { name: 'Book Selected Slot' }).click();
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('reference').textContent()).toMatch(/\S{4,}/);

    // The same booking, seen through the preload bridge: slot A1 is taken now.
    const a1 = await page.evaluate(async () => {
      const response = await window.kioskIpc!.call({ type: 'query', path: 'slot.list', input: {} });
      if (!response.ok) throw new Error(response.error.message);
      return (response.data as { label: string; available: boolean }[]).find((slot) => slot.label === 'A1');
    });
    expect(a1?.available).toBe(false);
  });

  it(title('stays on the app when a page tries to navigate away'), async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^kiosk:\/\/app\//);
  });
});
