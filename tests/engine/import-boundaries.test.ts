import { ESLint } from 'eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer boundaries in eslint.config.js bite: each case lints one line of source as if it
 * were a file at `path` (nothing is written to disk) and checks whether the boundary rule fires.
 * The allowed cases guard against a rule so broad that it would be switched off in anger.
 */
const root = join(import.meta.dirname, '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

const boundaryErrors = async (path: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
};

const forbidden: [string, string, string][] = [
  ['electron/core/bookings/zz-probe.ts', "import { fullRouter } from '../../api/router';", 'electron/api'],
  ['electron/core/bookings/zz-probe.ts', "import { startHttpServer } from '../../server/http';", 'adapters'],
  ['electron/core/bookings/zz-probe.ts', "import { app } from 'electron';", 'Only electron/main.ts'],
  ['electron/core/bookings/zz-probe.ts', "import { initTRPC } from '@trpc/server';", 'transport-free'],
  ['electron/core/bookings/zz-probe.ts', "import { useState } from 'react';", 'screen-free'],
  ['electron/core/bookings/zz-probe.ts', "import { App } from '../../../src/App';", 'renderer'],
  ['electron/api/routers/zz-probe.ts', "import { mountIpcHandler } from '../../ipc/mount';", 'adapters'],
  ['electron/api/routers/zz-probe.ts', "import { createLinks } from '../../../src/api/links';", 'renderer'],
  ['electron/server/zz-probe.ts', "import { app } from 'electron';", 'Only electron/main.ts'],
  ['electron/preload.ts', "import { createLinks } from '../src/api/links';", 'renderer'],
  ['src/kiosk/zz-probe.ts', "import { normalizePlate } from '../../electron/core/shared/plates';", 'only over tRPC'],
  ['src/kiosk/zz-probe.ts', "import { readFileSync } from 'node:fs';", 'browser'],
  ['src/kiosk/zz-probe.ts', 'export const mode = process.env.NODE_ENV;', 'Node globals'],
  ['shared/zz-probe.ts', "import { DomainError } from '../electron/core/shared/errors';", 'imports neither'],
  ['shared/zz-probe.ts', "import { App } from '../src/App';", 'imports neither'],
  ['shared/zz-probe.ts', "export const bytes = Buffer.from('A1');", 'Node globals'],
  ['db/zz-probe.ts', "import { bootKiosk } from '../electron/server/boot';", 'below the core'],
];

const allowed: [string, string][] = [
  ['electron/main.ts', "import { app } from 'electron';"],
  ['electron/api/routers/zz-probe.ts', "import { initTRPC } from '@trpc/server';"],
  ['electron/api/routers/zz-probe.ts', "import { listSlots } from '../../core/slots/service';"],
  ['electron/core/bookings/zz-probe.ts', "import { openDatabase } from '../../../db/client';"],
  ['src/api/zz-probe.ts', "import type { AppRouter } from '../../electron/api/router';"],
  ['src/api/zz-probe.ts', "import { type AppRouter } from '../../electron/api/router';"],
];

describe('layer boundaries (eslint.config.js)', () => {
  it.each(forbidden)('%s may not: %s', async (path, line, why) => {
    const errors = await boundaryErrors(path, `${line}\nexport {};\n`);
    expect(errors.length, `no boundary error for ${line} in ${path}`).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(why);
  });

  it.each(allowed)('%s may: %s', async (path, line) => {
    expect(await boundaryErrors(path, `${line}\nexport {};\n`)).toEqual([]);
  });
});
