import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kioskSwitches } from '../../electron/window/command-line';
import { createFakeElectron, type FakeElectron } from './support/fake-electron';

/**
 * Speech on Linux: Chromium's speechSynthesis speaks through speech-dispatcher only with the
 * `enable-speech-dispatcher` switch, and a switch counts only when appended before the app is
 * ready. electron/main.ts runs here against the recording fake of Electron.
 */
const root = join(import.meta.dirname, '..', '..');
const savedEnv = { ...process.env };

describe('Chromium switches', () => {
  it('asks for speech-dispatcher on Linux only', () => {
    expect(kioskSwitches('linux')).toEqual([['enable-speech-dispatcher']]);
    expect(kioskSwitches('win32')).toEqual([]);
    expect(kioskSwitches('darwin')).toEqual([]);
  });

  describe('electron/main.ts', () => {
    let fake: FakeElectron;
    beforeAll(async () => {
      vi.resetModules();
      fake = createFakeElectron({ appPath: root });
      vi.doMock('electron', () => fake.module);
      process.env = { ...savedEnv, KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-switches-')), KIOSK_STAFF_PIN: '482916', NODE_ENV: 'production' };
      try {
        await import('../../electron/main');
        await new Promise((resolve) => setTimeout(resolve, 0)); // let start() run
      } finally {
        process.env = savedEnv;
      }
    });
    afterAll(() => {
      fake.app.emit('will-quit');
    });

    it.runIf(process.platform === 'linux')('appends enable-speech-dispatcher before the app is ready', () => {
      expect(fake.calls.errorBoxes).toEqual([]);
      expect(fake.calls.readyAsked).toBe(true);
      expect(fake.calls.switches).toEqual([{ name: 'enable-speech-dispatcher', value: undefined, beforeReady: true }]);
      expect(fake.app.commandLine.hasSwitch('enable-speech-dispatcher')).toBe(true);
    });
  });
});
