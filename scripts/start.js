#!/usr/bin/env node
// `npm start` (after `electron-vite build`): opens the console in Electron when an Electron
// binary is present or can be fetched (the electron package downloads it on first use);
// otherwise explains why and serves the same console headless with `vigie serve --estate --open`
// in the default browser. Signals are forwarded to the child and its exit code is ours.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resolveTimeoutMs = Number(process.env.VIGIE_ELECTRON_RESOLVE_TIMEOUT_MS) || 180_000;
const MARKER = 'VIGIE_ELECTRON_PATH=';

/** The environment for children: ELECTRON_RUN_AS_NODE would turn Electron into plain Node. */
function childEnv() {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** The error lines of a Node failure, without stack frames and source excerpts. */
function errorSummary(text) {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(
      (l) =>
        /error|failed|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN/i.test(l) &&
        !/^\s+at /.test(l) &&
        !/^\s*throw /.test(l),
    );
  return [...new Set(lines)].slice(0, 4).join('\n');
}

/**
 * Asks the electron package for its binary in a child process: on first use it downloads the
 * binary, which may hang or fail without network access, so the child gets a deadline.
 */
function resolveElectron() {
  if (process.env.VIGIE_NO_ELECTRON === '1') return { ok: false, reason: 'VIGIE_NO_ELECTRON=1 is set' };
  if (!existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
    return { ok: false, reason: 'the electron package is not installed (run `npm ci`)' };
  }
  process.stdout.write(
    'start: looking for the Electron binary (downloaded on first run; this can take a minute)...\n',
  );
  const result = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write('\\n${MARKER}' + require('electron') + '\\n')`],
    {
      cwd: root,
      env: childEnv(),
      encoding: 'utf8',
      timeout: resolveTimeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (result.error) {
    const reason =
      result.error.code === 'ETIMEDOUT'
        ? `fetching it took longer than ${Math.round(resolveTimeoutMs / 1000)} s (VIGIE_ELECTRON_RESOLVE_TIMEOUT_MS)`
        : result.error.message;
    return { ok: false, reason };
  }
  if (result.status !== 0) {
    return {
      ok: false,
      reason:
        errorSummary(`${result.stdout}\n${result.stderr}`) ||
        `the electron package exited with ${result.status}`,
    };
  }
  const line = result.stdout.split('\n').find((l) => l.startsWith(MARKER));
  const path = line ? line.slice(MARKER.length).trim() : '';
  if (path === '') return { ok: false, reason: 'the electron package did not name a binary' };
  // With ELECTRON_OVERRIDE_DIST_PATH the package returns a path without checking it exists.
  if (!existsSync(path))
    return { ok: false, reason: `the electron package points at ${path}, which does not exist` };
  return { ok: true, path };
}

/** Runs a child with our stdio, forwards termination signals, and exits with its status. */
function run(command, args) {
  const child = spawn(command, args, { cwd: root, env: childEnv(), stdio: 'inherit' });
  const signals = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (err) => {
    process.stderr.write(`start: could not run ${command}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) process.exit(128 + (constants.signals[signal] ?? 0));
    process.exit(code ?? 1);
  });
}

function serveInBrowser(reason) {
  process.stdout.write(
    [
      '',
      'start: no Electron binary could be found or downloaded here, so the desktop console cannot open.',
      `       Why: ${reason.split('\n').join('\n            ')}`,
      '       Opening the same console in your browser instead: vigie serve --estate --open',
      '       (to use Electron, allow the electron package to download its binary, or point',
      '       ELECTRON_OVERRIDE_DIST_PATH at an Electron dist folder, then run `npm start` again)',
      '',
    ].join('\n'),
  );
  const cli = join(root, 'bin', 'vigie.js');
  if (!existsSync(cli)) {
    process.stderr.write(`start: ${cli} is missing; cannot fall back to the browser console either.\n`);
    process.exit(1);
  }
  run(process.execPath, [cli, 'serve', '--estate', '--open']);
}

function main() {
  const built = join(root, 'out', 'main', 'index.js');
  if (!existsSync(built)) {
    process.stderr.write(
      'start: out/main/index.js is missing; run `npm run build` first (`npm start` does).\n',
    );
    process.exit(1);
  }
  const electron = resolveElectron();
  if (!electron.ok) {
    serveInBrowser(electron.reason);
    return;
  }
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    // Chromium refuses to run as root unless its sandbox is turned off, which the console must not do.
    serveInBrowser('Electron will not run as root with its sandbox on; run `npm start` as a normal user');
    return;
  }
  process.stdout.write(`start: launching ${electron.path}\n`);
  run(electron.path, [root]);
}

main();
