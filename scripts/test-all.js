#!/usr/bin/env node
// Runs every check and every test level, in order, and ends with one line
// "N passed, N failed, N skipped" over all test runners. Exit code 0 only if everything passed.
// Levels: typecheck, lint, build, unit + renderer + integration (vitest), e2e (Playwright:
// browser in Debian Chromium; Electron where a binary exists).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = [];
let failedSteps = 0;

function step(name, command, args) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  if (!ok) failedSteps += 1;
  process.stdout.write(
    `=== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('lint', 'npm', ['run', '--silent', 'lint']);
const built = step('build', 'npx', ['electron-vite', 'build']);

step('vitest (unit, renderer, integration)', 'npx', [
  'vitest',
  'run',
  '--project',
  'unit',
  '--project',
  'renderer',
  '--project',
  'integration',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  results.push({
    name: 'vitest',
    passed: vitest.numPassedTests,
    failed: vitest.numFailedTests,
    skipped: vitest.numPendingTests + (vitest.numTodoTests ?? 0),
  });
} else {
  results.push({ name: 'vitest', passed: 0, failed: 1, skipped: 0 });
}

if (built) {
  step('e2e (Playwright)', 'npx', ['playwright', 'test']);
  const e2e = readJson('test-results/e2e.json');
  if (e2e?.stats) {
    results.push({
      name: 'e2e',
      passed: e2e.stats.expected + (e2e.stats.flaky ?? 0),
      failed: e2e.stats.unexpected,
      skipped: e2e.stats.skipped,
    });
  } else {
    results.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0 });
  }
} else {
  results.push({ name: 'e2e (not run: build failed)', passed: 0, failed: 1, skipped: 0 });
}

process.stdout.write('\n=== Summary\n');
for (const r of results)
  process.stdout.write(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped\n`);
if (failedSteps > 0) process.stdout.write(`${failedSteps} step(s) failed (see above)\n`);
const total = results.reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
const failed = total.failed + (failedSteps > 0 && total.failed === 0 ? failedSteps : 0);
process.stdout.write(`${total.passed} passed, ${failed} failed, ${total.skipped} skipped\n`);
if (existsSync('test-results/e2e')) process.stdout.write('Artifacts (screenshots): test-results/e2e/\n');
process.exit(failedSteps > 0 || total.failed > 0 ? 1 : 0);
