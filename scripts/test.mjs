// `npm test`: type-check (each side its own project, `tsc -b`), lint (rules and layer
// boundaries), format check, engine tests, build the renderer, browser tests; then one plain
// summary line ("N passed, N failed, N skipped") that CI reads. The three checks run first and
// all of them run even when one fails, so one `npm test` reports every kind of problem.
//
// Every tool runs as node itself on its bin script (no npx wrapper that could outlive a kill),
// and every process the run starts carries its mark (scripts/leftovers.mjs): at the end, any
// that is still running is killed and the run FAILS, so `npm test` never leaves a server,
// browser or Electron behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { killLeftovers, markRun } from './leftovers.mjs';

const root = join(import.meta.dirname, '..');
process.chdir(root);
const runId = markRun();
const tool = (path) => join(root, 'node_modules', path);
const node = (script, args) => spawnSync(process.execPath, [tool(script), ...args], { stdio: 'inherit', shell: false }).status ?? 1;
mkdirSync('.tmp', { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let exit = 0;

const stage = (name, fn) => {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const status = fn();
  const seconds = Math.round((Date.now() - started) / 1000);
  if (status !== 0) {
    console.log(`=== ${name} FAILED (exit ${status}, ${seconds} s)`);
    exit = 1;
  } else {
    console.log(`=== ${name} ok (${seconds} s)`);
  }
  return status;
};

const vitest = (config, report) => {
  const status = node('vitest/vitest.mjs', ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
  } else {
    totals.failed += 1;
  }
  return status;
};

stage('typecheck', () => node('typescript/bin/tsc', ['-b', 'tsconfig.json']));
stage('lint', () => node('eslint/bin/eslint.js', ['.']));
stage('format check', () => node('prettier/bin/prettier.cjs', ['--check', '.', '--log-level', 'warn']));
stage('engine tests', () => vitest('vitest.config.ts', '.tmp/unit.json'));
const built = stage('build renderer', () => node('vite/bin/vite.js', ['build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']));
if (built === 0) stage('browser tests', () => vitest('vitest.e2e.config.ts', '.tmp/e2e.json'));

stage('nothing left running', () => {
  const left = killLeftovers(runId);
  if (left.length === 0) return 0;
  console.log(`The tests left ${left.length} process(es) running (now killed):`);
  for (const { pid, command } of left) console.log(`  ${pid} ${command}`);
  totals.failed += 1;
  return 1;
});

if (exit !== 0 && totals.failed === 0) totals.failed = 1;
console.log(`\nSummary: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exit);
