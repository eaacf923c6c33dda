// ESLint for the whole repo (`npm run lint`, also run by `npm test`).
//
// Three things live here:
//   1. the rule set (typescript-eslint recommended plus the few rules this team relies on),
//   2. React's hook rules for the renderer (src/),
//   3. the layer boundaries (who may import whom), as `no-restricted-imports` per folder, so an
//      import across a boundary fails `npm test` (tests/engine/import-boundaries.test.ts proves it).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `no-restricted-imports` sees the import text, not the resolved file, and this repo imports
// its own code by relative path: a layer is matched as "climbs out (../) and then names the
// folder", e.g. `../../server/boot` from electron/api/routers/. Package names never start with
// `../`, so `@trpc/server` is not mistaken for electron/server.
const climbsTo = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** Only the Electron entry points talk to Electron itself; everything else runs in plain Node. */
const electronModule = { name: 'electron', message: 'Only electron/main.ts and electron/preload.ts import electron.' };
const noRenderer = { regex: climbsTo(['src']), message: 'The main side never imports the renderer (src/).' };
const noAdapters = {
  regex: climbsTo(['server', 'ipc', 'window']),
  message: 'electron/server, electron/ipc and electron/window are adapters: only the entry points compose them.',
};

/** The layers: which files, and what they may not import. The globs do not overlap. */
const boundaries = [
  {
    name: 'boundaries/core',
    files: ['electron/core/**'],
    paths: [electronModule],
    patterns: [
      noRenderer,
      noAdapters,
      { regex: climbsTo(['api']), message: 'The core does not know its transports (electron/api).' },
      { group: ['@trpc/*'], message: 'The core is transport-free: tRPC lives in electron/api.' },
      { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'The core is screen-free.' },
    ],
  },
  {
    name: 'boundaries/api',
    files: ['electron/api/**'],
    paths: [electronModule],
    patterns: [noRenderer, noAdapters],
  },
  {
    name: 'boundaries/adapters',
    files: ['electron/server/**', 'electron/ipc/**', 'electron/window/**'],
    paths: [electronModule],
    patterns: [noRenderer],
  },
  {
    name: 'boundaries/shared',
    files: ['shared/**'],
    paths: [electronModule],
    patterns: [
      { regex: climbsTo(['electron', 'src']), message: 'shared/ is imported by both sides and imports neither.' },
      { group: ['node:*'], message: 'shared/ runs in the renderer too: no Node modules.' },
    ],
  },
  {
    name: 'boundaries/renderer',
    files: ['src/**'],
    paths: [electronModule],
    patterns: [
      {
        regex: climbsTo(['electron']),
        // The router's types (AppRouter) are the wire contract; a type import costs nothing at run time.
        allowTypeImports: true,
        message: 'The renderer reaches the main side only over tRPC; import its types with `import type`.',
      },
      { group: ['node:*'], message: 'The renderer runs in a browser: no Node modules.' },
    ],
  },
  {
    name: 'boundaries/entry-points',
    files: ['electron/main.ts', 'electron/preload.ts'],
    patterns: [noRenderer],
  },
  {
    name: 'boundaries/db',
    files: ['db/**'],
    paths: [electronModule],
    patterns: [noRenderer, { regex: climbsTo(['electron']), message: 'db/ is below the core and imports nothing above it.' }],
  },
  {
    name: 'boundaries/tools',
    files: ['scripts/**', 'bench/**'],
    paths: [electronModule],
    patterns: [noRenderer],
  },
].map(({ name, files, paths = [], patterns }) => ({
  name,
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
}));

/**
 * Code that runs in the renderer (src/, shared/) uses no Node globals. TypeScript alone cannot
 * say so: the renderer's project has no Node types of its own, but the router's types
 * (AppRouter -> KioskCore -> better-sqlite3) bring @types/node in, and shared/ is checked with the main side.
 */
const noNodeGlobals = [
  'error',
  ...['process', 'Buffer', 'global', 'require', 'module', '__dirname', '__filename', 'setImmediate'].map((name) => ({
    name,
    message: 'This code runs in a browser too: no Node globals.',
  })),
];

export default tseslint.config(
  {
    name: 'ignores',
    ignores: ['out/**', 'dist/**', 'node_modules/**', '.tmp/**', 'test-results/**', 'db/migrations/**', 'docs/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'kiosk/everywhere',
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a union of string literals (and a const array) instead of an enum.' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      'prefer-const': 'error',
    },
  },
  {
    name: 'kiosk/renderer',
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The plugin's recommended set. Its React-Compiler-derived rules (refs, purity,
      // set-state-in-effect, ...) warn for now: the renderer has a few to work off, then they become errors.
      ...Object.fromEntries(Object.keys(reactHooks.configs.flat.recommended.rules).map((rule) => [rule, 'warn'])),
      'react-hooks/rules-of-hooks': 'error',
      // To 'error' once src/kiosk/data.ts's useBooking refresh callback lists `key` (its one finding).
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-globals': noNodeGlobals,
    },
  },
  {
    name: 'kiosk/shared',
    files: ['shared/**'],
    rules: { 'no-restricted-globals': noNodeGlobals },
  },
  {
    name: 'kiosk/preload',
    files: ['electron/preload.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'kiosk/tests',
    files: ['tests/**', '**/*.test.ts'],
    rules: {
      // Tests poke at wire shapes and private corners on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...boundaries,
);
