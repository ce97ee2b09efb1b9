/**
 * Killing the engine mid-poll and starting it again loses nothing that was reported as stored.
 * The engine runs as a user runs it (`vigie serve --estate`, the built CLI, in its own process);
 * every sample an `overview.changed` event reported must be in the store after a SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serverMessageSchema, type Overview, type ReadingKey } from '../../shared/api';
import { EngineClient } from '../../electron/engine/cli/engine-client';
import { rawText } from '../../electron/engine/server/raw-text';
import { readRuntimeInfo, type RuntimeInfo } from '../../electron/engine/cli/runtime-file';

const CLI = 'out/main/cli.js';
const children: ChildProcess[] = [];
let dataDir = '';

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startEngine(): Promise<{ child: ChildProcess; info: RuntimeInfo }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--estate', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  // Ready when the CLI has printed its address (it writes the runtime file just before).
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes('is serving')) resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`engine exited (${code}) before serving:\n${output}`)));
  });
  const info = await readRuntimeInfo(dataDir);
  if (!info) throw new Error('no runtime file');
  return { child, info };
}

/** Collects every sample the engine reported through overview.changed until `count` are seen. */
function collectReported(
  info: RuntimeInfo,
  count: number,
): Promise<Map<string, { at: number; reading: ReadingKey; value: number | null }[]>> {
  const reported = new Map<string, { at: number; reading: ReadingKey; value: number | null }[]>();
  let total = 0;
  const ws = new WebSocket(`${info.url.replace('http', 'ws')}/ws?token=${info.token}`);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = serverMessageSchema.parse(JSON.parse(rawText(data)));
      if (msg.type !== 'event' || msg.event !== 'overview.changed') return;
      const overview = msg.payload as Overview;
      for (const tile of overview.tiles) {
        if (tile.lastSampleAt === null || tile.primary === null) continue;
        const list = reported.get(tile.id) ?? [];
        if (!list.some((s) => s.at === tile.lastSampleAt)) {
          list.push({ at: tile.lastSampleAt, reading: tile.primary.key, value: tile.primary.value });
          reported.set(tile.id, list);
          total += 1;
        }
      }
      if (total >= count) {
        ws.terminate();
        resolve(reported);
      }
    });
  });
}

describe('durability', () => {
  it('keeps every reported sample across a SIGKILL mid-poll', async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run \`npm run build\` before the integration tests`);
    dataDir = await mkdtemp(join(tmpdir(), 'vigie-durability-'));
    const first = await startEngine();
    const reported = await collectReported(first.info, 60);
    // Polls run continuously (31 sources, 5-10 s intervals, spread): killing now interrupts some mid-flight.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startEngine();
    const client = await EngineClient.connect(second.info);
    try {
      let checked = 0;
      for (const [tileId, samples] of reported) {
        for (const s of samples) {
          const res = await client.invoke('tiles.history', {
            tileId,
            reading: s.reading,
            from: s.at,
            to: s.at,
            maxPoints: 10,
          });
          expect(res.ok, `${tileId} history`).toBe(true);
          if (!res.ok) continue;
          expect(res.value.times, `${tileId} sample at ${s.at}`).toContain(s.at);
          expect(res.value.values[res.value.times.indexOf(s.at)]).toBe(s.value);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(60);
      // The restarted engine shows what it knew before the first new poll, not a blank console.
      const overview = await client.invoke('overview.get', {});
      expect(overview.ok && overview.value.tiles.some((t) => t.lastSampleAt !== null)).toBe(true);
    } finally {
      client.close();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });
});
