import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * `npx electron-vite build` → out/main/index.js (ESM, package.json "main"),
 * out/main/migrations/ (the drizzle migrations, carried with the bundle),
 * out/preload/index.cjs (CommonJS: a sandboxed preload cannot be an ES module),
 * out/renderer/ (the same React app as the HTTP mode).
 */

/** Copies db/migrations into the main bundle's output, so a built or packaged app finds them beside itself. */
function bundleMigrations(folder: string): Plugin {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  return {
    name: 'kiosk:bundle-migrations',
    apply: 'build',
    generateBundle() {
      for (const file of files(folder)) {
        this.emitFile({
          type: 'asset',
          fileName: `migrations/${relative(folder, file).split('\\').join('/')}`,
          source: readFileSync(file),
        });
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [bundleMigrations(resolve('db/migrations'))],
    build: {
      // package.json dependencies (better-sqlite3 with its native binary, drizzle-orm, tRPC,
      // zod) stay in node_modules and are loaded at run time; only our code is bundled.
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve('electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed: everything but 'electron' must be inside the one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src',
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve('src/index.html') },
    },
  },
});
