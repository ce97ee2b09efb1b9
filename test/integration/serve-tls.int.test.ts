/**
 * `vigie serve` over TLS (issue 6, transport security): a real certificate made with the
 * openssl binary, the real command (built CLI) serving the training estate on HTTPS/WSS. A seat
 * that does not trust the certificate cannot connect; one that does is greeted; plain HTTP is
 * not answered; the command line trusts its own engine through the runtime file and `vigie
 * status` works.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawText } from '../../electron/engine/server/raw-text';
import { requireBinaries } from '../servers/common';

const CLI = 'out/main/cli.js';
let dir = '';
let child: ReturnType<typeof spawn> | null = null;
let info: { url: string; token: string; certificate?: string };

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.once('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

beforeAll(async () => {
  requireBinaries([{ binary: 'openssl', debianPackage: 'openssl' }]);
  dir = await mkdtemp(join(tmpdir(), 'vigie-tls-'));
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--estate',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--tls-cert',
      join(dir, 'cert.pem'),
      '--tls-key',
      join(dir, 'key.pem'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('is serving')) resolve();
    });
    child!.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child!.once('exit', (code) => reject(new Error(`vigie serve exited (${code}):\n${output}`)));
  });
  info = JSON.parse(await readFile(join(dir, 'data', 'engine.json'), 'utf8')) as typeof info;
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

const open = (options: WebSocket.ClientOptions): Promise<{ hello: unknown } | { error: string }> =>
  new Promise((resolve) => {
    const ws = new WebSocket(`${info.url.replace('https', 'wss')}/ws?token=${info.token}`, options);
    ws.once('message', (d: WebSocket.RawData) => {
      resolve({ hello: JSON.parse(rawText(d)) as unknown });
      ws.close();
    });
    ws.once('error', (err) => resolve({ error: err.message }));
  });

describe('vigie serve over TLS', () => {
  it('serves https and records its certificate for the command line', async () => {
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.certificate).toBe(await readFile(join(dir, 'cert.pem'), 'utf8'));
  });

  it('greets a seat that trusts the certificate, and no other', async () => {
    const trusted = await open({ ca: info.certificate!, origin: info.url });
    expect(trusted).toMatchObject({ hello: { type: 'hello', training: true } });
    const untrusted = await open({ origin: info.url });
    expect(untrusted).toMatchObject({
      error: expect.stringMatching(/self[- ]signed|certificate/i) as unknown,
    });
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const plain = await fetch(info.url.replace('https', 'http') + '/healthz').then(
      (r) => `status ${r.status}`,
      (err: unknown) => `failed: ${String(err)}`,
    );
    expect(plain).toMatch(/^failed/);
  });

  it('lets `vigie status` reach its own engine over TLS', async () => {
    const status = await run(['status', '--json', '--data-dir', join(dir, 'data')]);
    expect(status.code, status.out).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({ training: true });
  }, 30_000);
});
