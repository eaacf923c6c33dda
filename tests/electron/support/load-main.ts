import { join } from 'node:path';
import { vi } from 'vitest';
import { createFakeElectron, type FakeElectron } from './fake-electron';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * Loads electron/main.ts afresh against a stand-in Electron (the binary cannot be downloaded
 * here), with `env` set while it starts, and lets its start-up run. Each call is a new app.
 */
export async function loadMain(env: Record<string, string>, options: { singleInstance?: boolean } = {}): Promise<FakeElectron> {
  vi.resetModules();
  const fake = createFakeElectron({ appPath: root, ...options });
  vi.doMock('electron', () => fake.module);
  const saved = process.env;
  process.env = { ...saved, ...env };
  try {
    await import('../../../electron/main');
    // app.whenReady() resolves at once in the fake; let start() run.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    process.env = saved;
  }
  return fake;
}
