import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../ports/logger';
import type { MetricPoint } from '../../ports/metric-store';
import { UpstreamError } from '../../ports/upstream-error';
import { DurableWriteQueue, type DurableWriteQueueOptions } from './durable-write-queue';
import { decodeSegment, encodePoint } from './journal-record';
import { FakeClock } from './test-support/fake-clock';
import { MemoryMetricStore } from './test-support/memory-metric-store';
import { RecordingLogger } from './test-support/recording-logger';
import { waitUntil } from './test-support/wait-until';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

function point(i: number): MetricPoint {
  return { measurement: 'vigie', tags: { source: `s${i % 3}` }, fields: { latency: i }, time: T0 + i * 1000 };
}
function points(from: number, count: number): MetricPoint[] {
  return Array.from({ length: count }, (_, k) => point(from + k));
}
function ids(list: readonly MetricPoint[]): (number | null | undefined)[] {
  return list.map((p) => p.fields.latency);
}
function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => from + k);
}

let dir: string;
const opened: DurableWriteQueue[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-queue-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((q) => q.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openQueue(
  options: Partial<DurableWriteQueueOptions> & Pick<DurableWriteQueueOptions, 'store' | 'clock'>,
): Promise<DurableWriteQueue> {
  const queue = await DurableWriteQueue.open({
    dir,
    logger: silentLogger,
    maxPoints: 100_000,
    random: () => 0.5,
    flushDelayMs: 0,
    ...options,
  });
  opened.push(queue);
  return queue;
}

const until = (queue: DurableWriteQueue, condition: () => boolean): Promise<void> =>
  waitUntil((l) => queue.onChange(l), condition);

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('segment-')).sort();
}

async function journalPoints(): Promise<MetricPoint[]> {
  const all: MetricPoint[] = [];
  for (const name of await segmentFiles())
    all.push(...decodeSegment(await readFile(join(dir, name), 'utf8')).points);
  return all;
}

/**
 * Takes the store down and enqueues `first`, then waits until the queue has recorded the failed
 * write: its flusher is then parked in its backoff, so what follows is deterministic.
 */
async function outageWith(
  queue: DurableWriteQueue,
  store: MemoryMetricStore,
  first: MetricPoint[],
): Promise<void> {
  store.setUnreachable('UNAVAILABLE');
  await queue.enqueue(first);
  await until(queue, () => queue.stats().lastError !== null);
}

describe('DurableWriteQueue', () => {
  it('has the points on disk when enqueue resolves, and sends them to the store in order', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const hold = store.holdWrites();
    const queue = await openQueue({ store, clock });
    await queue.enqueue(points(0, 3));
    await hold.reached;
    expect(ids(await journalPoints())).toEqual([0, 1, 2]);
    await queue.enqueue(points(3, 2));
    hold.release();
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual(range(0, 5));
    expect(queue.stats().lastFlushOkAt).toBe(T0);
    expect(queue.stats().lastError).toBeNull();
    expect(await segmentFiles()).toEqual([]);
  });

  it('after an idle spell, lets the points of the next second gather into one write', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock, flushDelayMs: 1_000 });
    await queue.enqueue(points(0, 1));
    await queue.enqueue(points(1, 1));
    await queue.enqueue(points(2, 1));
    expect(store.writeAttempts).toBe(0);
    clock.advance(1_000);
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(store.batches.map(ids)).toEqual([[0, 1, 2]]);
  });

  it('removes a batch from the journal only after the store acknowledged it', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const hold = store.holdWrites();
    const queue = await openQueue({ store, clock });
    await queue.enqueue(points(0, 4));
    await hold.reached;
    expect(queue.stats().queuedPoints).toBe(4);
    expect(ids(await journalPoints())).toEqual([0, 1, 2, 3]);
    hold.release();
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(await journalPoints()).toEqual([]);
  });

  it('keeps order across an outage and loses nothing once the store returns', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock });
    await outageWith(queue, store, points(0, 10));
    await queue.enqueue(points(10, 10));
    // Still down at the first retries: everything stays queued, on disk.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      clock.advance(60_000);
      await until(queue, () => queue.stats().lastError?.at === clock.now());
      await queue.enqueue(points(20 + attempt * 5, 5));
    }
    expect(store.points).toEqual([]);
    expect(queue.stats().queuedPoints).toBe(35);
    expect(queue.stats().lastError).toMatchObject({ code: 'UNAVAILABLE', at: clock.now() });
    expect(ids(await journalPoints())).toEqual(range(0, 35));

    store.setUnreachable(null);
    clock.advance(60_000);
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual(range(0, 35));
    expect(queue.stats()).toMatchObject({ lastError: null, lastFlushOkAt: clock.now(), dropped: null });
  });

  it('backs off with jitter, doubling from 1 s to at most 60 s', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    store.setUnreachable('UNAVAILABLE');
    // random 0: the shortest delay, half of each base (1 s, 2 s, ... 60 s).
    const queue = await openQueue({ store, clock, random: () => 0, writeTimeoutMs: 999_999 });
    await queue.enqueue(points(0, 1));
    for (let failure = 1; failure <= 9; failure += 1) {
      await until(
        queue,
        () => store.writeAttempts === failure && queue.stats().lastError?.at === clock.now(),
      );
      clock.advance(30_000);
    }
    const backoffs = clock.requestedDelays.filter((ms) => ms !== 999_999);
    expect(backoffs.slice(0, 9)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('retries at once on retryNow, without waiting out the backoff', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock, retryInitialMs: 60_000 });
    await outageWith(queue, store, points(0, 3));
    store.setUnreachable(null);
    queue.retryNow();
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual([0, 1, 2]);
  });

  it('replays unflushed points exactly once each, in order, after a crash that tore the last record', async () => {
    const clockA = new FakeClock(T0);
    const storeA = new MemoryMetricStore();
    storeA.setUnreachable('UNAVAILABLE');
    // The first instance is never closed: it stands for a process that died.
    const crashed = await openQueue({ store: storeA, clock: clockA, maxPoints: 100 });
    await crashed.enqueue(points(0, 30));
    await until(crashed, () => crashed.stats().lastError !== null);
    await crashed.enqueue(points(30, 30));
    await crashed.enqueue(points(60, 5));
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(1);
    // The crash came in the middle of appending a record to the newest segment.
    await appendFile(join(dir, files.at(-1)!), encodePoint(point(999)).slice(0, 25));

    const logger = new RecordingLogger();
    const store = new MemoryMetricStore();
    const replayed = await openQueue({ store, clock: new FakeClock(T0), logger, maxPoints: 100 });
    expect(replayed.stats().queuedPoints).toBe(65);
    await until(replayed, () => replayed.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual(range(0, 65));
    expect(storeA.points).toEqual([]);
    expect(logger.at('warn').some((e) => e.msg?.includes('torn'))).toBe(true);
    expect(await segmentFiles()).toEqual([]);

    // A third start finds nothing left to send: nothing is sent twice.
    await replayed.close();
    const store3 = new MemoryMetricStore();
    const third = await openQueue({ store: store3, clock: new FakeClock(T0) });
    expect(third.stats().queuedPoints).toBe(0);
    expect(store3.writeAttempts).toBe(0);
  });

  it('starts on a journal whose only damage is a torn last line or a damaged line, keeping the valid records', async () => {
    await mkdir(dir, { recursive: true });
    const text =
      [point(0), point(1)].map(encodePoint).join('') + 'not json\n' + encodePoint(point(2)) + '{"v":1,"meas';
    await writeFile(join(dir, 'segment-000000000007.jsonl'), text);
    await writeFile(join(dir, 'segment-000000000008.jsonl'), '{"v":1');
    await writeFile(join(dir, 'segment-000000000007.jsonl.tmp'), 'half a rewrite');
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock: new FakeClock(T0) });
    expect(queue.stats().queuedPoints).toBe(3);
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual([0, 1, 2]);
    await queue.enqueue(points(3, 1));
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual([0, 1, 2, 3]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('drops the oldest points beyond maxPoints, counting them and recording when', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock, maxPoints: 10 });
    await outageWith(queue, store, points(0, 1));
    await queue.enqueue(points(1, 12));
    expect(queue.stats().queuedPoints).toBe(10);
    expect(queue.stats().dropped).toEqual({ count: 3, lastAt: T0 });
    expect(ids(await journalPoints())).toEqual(range(3, 10));

    clock.set(T0 + 5_000);
    await queue.enqueue(points(13, 2));
    expect(queue.stats()).toMatchObject({ queuedPoints: 10, dropped: { count: 5, lastAt: T0 + 5_000 } });

    store.setUnreachable(null);
    queue.retryNow();
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual(range(5, 10));
    expect(queue.stats().dropped).toEqual({ count: 5, lastAt: T0 + 5_000 });
  });

  it('never drops the batch being sent: the store may already hold it', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const hold = store.holdWrites();
    const queue = await openQueue({ store, clock, maxPoints: 4 });
    await queue.enqueue(points(0, 2));
    await hold.reached;
    await queue.enqueue(points(2, 4));
    expect(queue.stats()).toMatchObject({ queuedPoints: 4, dropped: { count: 2 } });
    hold.release();
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual([0, 1, 4, 5]);
  });

  it('applies the bound to what it replays', async () => {
    const storeDown = new MemoryMetricStore();
    storeDown.setUnreachable('UNAVAILABLE');
    const writer = await openQueue({ store: storeDown, clock: new FakeClock(T0) });
    await writer.enqueue(points(0, 50));
    await writer.close();
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock: new FakeClock(T0), maxPoints: 20 });
    expect(queue.stats()).toMatchObject({ dropped: { count: 30 } });
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual(range(30, 20));
  });

  it('drops and counts a batch the store refuses outright, instead of blocking the points behind it', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    store.setUnreachable('WRITE_REJECTED');
    const queue = await openQueue({ store, clock });
    await queue.enqueue(points(0, 10));
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(queue.stats()).toMatchObject({
      dropped: { count: 10, lastAt: T0 },
      lastError: { code: 'WRITE_REJECTED' },
    });
    store.setUnreachable(null);
    await queue.enqueue(points(10, 5));
    await until(queue, () => store.points.length === 5);
    expect(ids(store.points)).toEqual(range(10, 5));
  });

  it('treats an empty enqueue as a no-op', async () => {
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock: new FakeClock(T0) });
    let changes = 0;
    queue.onChange(() => {
      changes += 1;
    });
    await queue.enqueue([]);
    expect(changes).toBe(0);
    expect(await segmentFiles()).toEqual([]);
    expect(queue.stats().queuedPoints).toBe(0);
    expect(store.writeAttempts).toBe(0);
  });

  it('keeps the call order of concurrent enqueues', async () => {
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock: new FakeClock(T0) });
    await Promise.all(Array.from({ length: 50 }, (_, i) => queue.enqueue(points(i * 3, 3))));
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual(range(0, 150));
  });

  it('sends at most 5,000 points per write', async () => {
    const store = new MemoryMetricStore();
    const hold = store.holdWrites();
    const queue = await openQueue({ store, clock: new FakeClock(T0) });
    await queue.enqueue(points(0, 12_000));
    await hold.reached;
    hold.release();
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(store.batches.map((b) => b.length)).toEqual([5_000, 5_000, 2_000]);
    expect(ids(store.points)).toEqual(range(0, 12_000));
  });

  it('sends a segment larger than a batch in several writes, trimming it after each', async () => {
    await writeFile(join(dir, 'segment-000000000001.jsonl'), points(0, 7).map(encodePoint).join(''));
    const store = new MemoryMetricStore();
    const queue = await openQueue({ store, clock: new FakeClock(T0), batchSize: 3 });
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(store.batches.map(ids)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('gives up a write that never answers at its deadline, and retries it', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const hold = store.holdWrites();
    const queue = await openQueue({ store, clock, writeTimeoutMs: 5_000 });
    await queue.enqueue(points(0, 2));
    await hold.reached;
    clock.advance(5_000);
    await until(queue, () => queue.stats().lastError !== null);
    expect(queue.stats().lastError).toMatchObject({ code: 'TIMEOUT' });
    hold.release();
    clock.advance(60_000);
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual([0, 1]);
  });

  it('on close, keeps what was not acknowledged for the next open and refuses new points', async () => {
    const store = new MemoryMetricStore();
    const hold = store.holdWrites();
    const queue = await openQueue({ store, clock: new FakeClock(T0) });
    await queue.enqueue(points(0, 3));
    await hold.reached;
    await queue.close();
    await expect(queue.enqueue(points(3, 1))).rejects.toThrow(/closed/);
    expect(store.points).toEqual([]);

    const store2 = new MemoryMetricStore();
    const reopened = await openQueue({ store: store2, clock: new FakeClock(T0) });
    await until(reopened, () => reopened.stats().queuedPoints === 0);
    expect(ids(store2.points)).toEqual([0, 1, 2]);
  });

  it('refuses a point it could not store faithfully, queuing nothing of that call', async () => {
    const queue = await openQueue({ store: new MemoryMetricStore(), clock: new FakeClock(T0) });
    await expect(queue.enqueue([point(0), { ...point(1), time: Number.NaN }])).rejects.toThrow(TypeError);
    expect(queue.stats().queuedPoints).toBe(0);
  });

  it('keeps the points and shows why when the store refuses them', async () => {
    const store = new MemoryMetricStore();
    store.failure = new UpstreamError('memory', 'AUTH', 'authorization failed');
    const queue = await openQueue({ store, clock: new FakeClock(T0) });
    await queue.enqueue(points(0, 1));
    await until(queue, () => queue.stats().lastError !== null);
    expect(queue.stats().lastError).toMatchObject({ code: 'AUTH', message: 'authorization failed', at: T0 });
    expect(queue.stats().queuedPoints).toBe(1);
  });

  it('survives a store that fails with something other than an UpstreamError', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    let broken = true;
    const write = store.write.bind(store);
    store.write = (batch, signal) =>
      broken ? Promise.reject(new TypeError('bug in adapter')) : write(batch, signal);
    const queue = await openQueue({ store, clock });
    await queue.enqueue(points(0, 2));
    await until(queue, () => queue.stats().lastError !== null);
    expect(queue.stats().lastError).toMatchObject({ code: 'INTERNAL', message: 'bug in adapter' });
    broken = false;
    clock.advance(60_000);
    await until(queue, () => queue.stats().queuedPoints === 0);
    expect(ids(store.points)).toEqual([0, 1]);
  });
});
