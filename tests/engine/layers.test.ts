import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

// The layers of issue 11 item 5, checked on the import statements themselves (a stand-in until
// the lint config's boundary rules land): shared/ imports neither side, the preload does not
// import the renderer, and the renderer loads no electron/ code at run time (types are fine).
const root = resolve(__dirname, '../..');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Each import/export-from of a file: its target resolved against the repo, and whether it is type-only. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const found: { target: string; typeOnly: boolean }[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) {
    const spec = match[3]!;
    const target = spec.startsWith('.') ? relative(root, resolve(file, '..', spec)) : spec;
    found.push({ target, typeOnly: Boolean(match[2]) });
  }
  for (const match of text.matchAll(/^\s*import\s+'([^']+)'/gm)) {
    const spec = match[1]!;
    found.push({ target: spec.startsWith('.') ? relative(root, resolve(file, '..', spec)) : spec, typeOnly: false });
  }
  return found;
}

const NODE_OR_ELECTRON = /^(node:|electron$|better-sqlite3|fs$|path$|crypto$)/;

it('shared/ imports neither electron/ nor src/, nor Node or Electron', () => {
  const offending = sources(join(root, 'shared')).flatMap((file) =>
    importsOf(file)
      .filter(({ target }) => target.startsWith('electron/') || target.startsWith('src/') || NODE_OR_ELECTRON.test(target))
      .map(({ target }) => `${relative(root, file)} -> ${target}`),
  );
  expect(offending).toEqual([]);
});

it('the preload does not import the renderer', () => {
  const offending = importsOf(join(root, 'electron/preload.ts')).filter(({ target }) => target.startsWith('src/'));
  expect(offending).toEqual([]);
});

it('the renderer imports electron/ code for types only', () => {
  const offending = sources(join(root, 'src')).flatMap((file) =>
    importsOf(file)
      .filter(({ target, typeOnly }) => target.startsWith('electron/') && !typeOnly)
      .map(({ target }) => `${relative(root, file)} -> ${target}`),
  );
  expect(offending).toEqual([]);
});
