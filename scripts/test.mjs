// `npm test`: type-check, engine tests, build the renderer, browser tests; then one plain
// summary line ("N passed, N failed, N skipped") that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false }).status ?? 1;
const npx = (args) => run('npx', args);
mkdirSync('.tmp', { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let exit = 0;

const stage = (name, fn) => {
  console.log(`\n=== ${name}`);
  const status = fn();
  if (status !== 0) {
    console.log(`=== ${name} FAILED (exit ${status})`);
    exit = 1;
  }
  return status;
};

const vitest = (config, report) => {
  const status = npx(['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
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

stage('typecheck', () => npx(['tsc', '--noEmit', '-p', 'tsconfig.json']));
stage('engine tests', () => vitest('vitest.config.ts', '.tmp/unit.json'));
const built = stage('build renderer', () => npx(['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']));
if (built === 0) stage('browser tests', () => vitest('vitest.e2e.config.ts', '.tmp/e2e.json'));

if (exit !== 0 && totals.failed === 0) totals.failed = 1;
console.log(`\nSummary: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exit);
