/**
 * Escalation survives a crash: the engine runs as a user runs it (`vigie serve --config`, the
 * built CLI, its own process), an alarm escalates by e-mail to a real SMTP server (aiosmtpd) and a
 * webhook receiver, the engine is SIGKILLed after the first step, started again on the same data
 * folder, and the escalation continues from the right step with nothing sent twice. Then an
 * operator acknowledges with `vigie alarms ack`, and the step that needs an unacknowledged alarm
 * is not sent. Steps are seconds apart (fractions of a minute) so the test waits on messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../electron/engine/cli/engine-client';
import { readRuntimeInfo, type RuntimeInfo } from '../../electron/engine/cli/runtime-file';
import { freeTcpPort, skipReason, withSkipReason } from '../servers/common';
import { SMTP_REQUIREMENTS, startSmtpServer, type SmtpServerHandle } from '../servers/smtp';

const CLI = 'out/main/cli.js';
const skip = skipReason('aiosmtpd', SMTP_REQUIREMENTS);
const children: ChildProcess[] = [];
let dataDir = '';
let smtp: SmtpServerHandle | undefined;
let hooks: http.Server | undefined;
const received: { key: string; body: { event: string; key: string; alarm: { id: string } } }[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await smtp?.stop();
  await new Promise((r) => (hooks ? hooks.close(r) : r(undefined)));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startEngine(configFile: string): Promise<{ child: ChildProcess; info: RuntimeInfo }> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--config', configFile, '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => {
      if (output.includes('is serving')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`engine exited (${code}) before serving:\n${output}`)));
  });
  const info = await readRuntimeInfo(dataDir);
  if (!info) throw new Error('no runtime file');
  return { child, info };
}

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Polls (a probe, not a sleep) until `check` returns a value. */
async function probe<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(skip !== undefined)(withSkipReason('escalation across a crash', skip), () => {
  let configFile = '';

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run \`npm run build\` before the integration tests`);
    dataDir = await mkdtemp(join(tmpdir(), 'vigie-escalation-'));
    smtp = await startSmtpServer();
    hooks = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) as never });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => hooks!.listen(0, '127.0.0.1', r));
    const hookPort = (hooks.address() as AddressInfo).port;
    // A service nobody answers for: unreachable, an alarm that holds across restarts.
    const deadPort = await freeTcpPort();
    configFile = join(dataDir, 'vigie.json');
    await writeFile(
      configFile,
      JSON.stringify({
        polling: { serviceIntervalSeconds: 1, timeoutMs: 500 },
        inventory: {
          zones: [{ id: 'zone-a', name: 'Zone A', kind: 'primary' }],
          services: [
            {
              id: 'billing',
              zone: 'zone-a',
              name: 'Billing API',
              url: `http://127.0.0.1:${deadPort}/health`,
            },
          ],
        },
        alarms: {
          people: [
            { id: 'alice', name: 'Alice Martin', email: 'alice@example.org' },
            { id: 'bram', name: 'Bram Peeters', email: 'bram@example.org' },
            { id: 'chief', name: 'Claire Chef', email: 'chief@example.org' },
          ],
          teams: [{ id: 'noc', name: 'NOC', members: ['bram'] }],
          policies: [
            {
              id: 'default',
              name: 'Default',
              steps: [
                { afterMinutes: 0, targets: [{ person: 'alice' }], channels: ['email'] },
                { afterMinutes: 0.25, targets: [{ team: 'noc' }], channels: ['email', 'webhook:itsm'] },
                {
                  afterMinutes: 0.4,
                  when: 'notAcknowledged',
                  targets: [{ person: 'chief' }],
                  channels: ['email'],
                },
              ],
            },
          ],
          channels: {
            email: {
              host: smtp.host,
              port: smtp.port,
              security: 'none',
              from: 'vigie@example.org',
              timeoutMs: 5000,
            },
            webhooks: [{ id: 'itsm', url: `http://127.0.0.1:${hookPort}/itsm` }],
          },
        },
      }),
    );
  });

  it('continues from the right step after a SIGKILL, sends nothing twice, and stops on acknowledgement', async () => {
    const first = await startEngine(configFile);
    // Step 1 (Alice, at once) arrives and the engine has recorded it as sent: the crash comes
    // then, before step 2 is due. (A crash between the relay's acceptance and that record would
    // send it again, with the same Message-ID for the mailbox to drop: at-least-once.)
    const [step1] = await smtp!.waitForMessages(1, 30_000);
    expect(step1!.rcptTos).toEqual(['alice@example.org']);
    const watcher = await EngineClient.connect(first.info);
    await probe('step 1 recorded as sent', async () => {
      const list = await watcher.invoke('alarms.list', { limit: 100 });
      const alarm = list.ok ? list.value.alarms[0] : undefined;
      if (!alarm) return undefined;
      const detail = await watcher.invoke('alarms.get', { id: alarm.id });
      return detail.ok && detail.value.history.some((h) => h.action === 'notified') ? true : undefined;
    });
    watcher.close();
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startEngine(configFile);
    // Step 2 (the NOC team: Bram, and the ITSM webhook) comes after the restart, once.
    const mails = await smtp!.waitForMessages(2, 60_000);
    expect(mails[1]!.rcptTos).toEqual(['bram@example.org']);
    await probe('the webhook', () => Promise.resolve(received.length > 0 ? true : undefined));
    const alarmId = received[0]!.body.alarm.id;
    expect(received[0]!.body.event).toBe('escalated');
    expect(received[0]!.key).toBe(`${alarmId}/0/1/webhook:itsm`);

    // The operator acknowledges from a terminal: step 3 (only if not acknowledged) never goes.
    const ack = await runCli([
      'alarms',
      'ack',
      alarmId.slice(0, 8),
      '--comment',
      'Billing team called',
      '--data-dir',
      dataDir,
    ]);
    expect(ack.out).toContain('Acknowledged');
    expect(ack.code).toBe(0);
    const client = await EngineClient.connect(second.info);
    try {
      // Wait until the escalation has gone past step 3's due time (the record advanced without sending).
      await probe('step 3 passed', async () => {
        const list = await client.invoke('alarms.list', { limit: 100 });
        if (!list.ok) throw new Error(list.error.message);
        const status = list.value.escalations[alarmId];
        return status && status.step >= 3 ? status : undefined;
      });
      const detail = await client.invoke('alarms.get', { id: alarmId });
      if (!detail.ok) throw new Error(detail.error.message);
      const steps = detail.value.history.filter((h) => h.action === 'escalated').map((h) => h.details.step);
      expect(steps).toEqual([1, 2]);
      expect(detail.value.history.filter((h) => h.action === 'notified').length).toBe(3); // 2 mails + 1 webhook
      expect(detail.value.alarm.ack).toMatchObject({ comment: 'Billing team called' });
    } finally {
      client.close();
    }
    const all = await smtp!.messages();
    expect(all.map((m) => m.rcptTos.join(','))).toEqual(['alice@example.org', 'bram@example.org']);
    expect(new Set(all.map((m) => m.header('Message-ID'))).size).toBe(2);
    expect(received).toHaveLength(1);
    // The list from a terminal shows the acknowledged alarm.
    const list = await runCli(['alarms', 'list', '--json', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.out) as { alarms: { id: string; state: string }[] };
    expect(parsed.alarms.find((a) => a.id === alarmId)?.state).toBe('acknowledged');
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 180_000);
});
