/**
 * Everything Vigie collects reaches the metric store through this queue, so that an outage of the
 * store (InfluxDB restarting, a network cut) loses no data and never slows the pollers.
 *
 * - `enqueue` appends the points to an on-disk journal and fsyncs it before resolving: a resolved
 *   enqueue survives a crash of the engine or of the machine.
 * - A flusher sends the journal to the store in order, in batches of at most 5,000 points, and
 *   removes a batch from the journal only after the store acknowledged it. After an idle spell it
 *   waits `flushDelayMs` (1 s) so that the points of many polls travel together.
 * - While the store is unreachable it backs off with jitter (1 s doubling to 60 s) and the points
 *   stay on disk; on the next start, whatever the journal holds is replayed in order.
 * - The journal is bounded: beyond `maxPoints` the oldest points are dropped, counted and timed,
 *   so a long outage costs the oldest history instead of the disk.
 *
 * Delivery is at least once. A crash between the store's acknowledgement and the trim of the
 * journal sends that batch again on restart. That is harmless for InfluxDB: a point with the same
 * measurement, tag set and timestamp as a stored one is merged into it (new field values win), so
 * resending identical points changes nothing
 * (https://docs.influxdata.com/influxdb/v2/write-data/best-practices/duplicate-points/, the same
 * rule as 1.x). The embedded store must give its writes the same property; that is its adapter's job.
 *
 * Journal layout: numbered segment files `segment-<seq>.jsonl` in `dir` (see journal-record.ts for a
 * line). New points go to the newest segment; a segment holds at most one batch, so a batch is
 * acknowledged by deleting one file (or, for a segment larger than a batch, by rewriting it
 * without the sent points through a temporary file and an atomic rename). One queue per folder:
 * two live processes appending to one journal would interleave their segments.
 */
import { mkdir, open, readFile, readdir, rename, rm, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { MetricPoint, MetricSink, MetricStore } from '../../ports/metric-store';
import { UpstreamError } from '../../ports/upstream-error';
import { withDeadline } from './deadline';
import { decodeSegment, encodePoint } from './journal-record';

/** The most points sent to the store in one write (InfluxDB recommends batches of 5,000). */
export const MAX_BATCH_POINTS = 5_000;

/** Why the last attempt failed, for the operator: a code, a message and when. */
export interface QueueError {
  readonly code: string;
  readonly message: string;
  readonly at: number;
}

/** What the queue holds and how its flushing goes. */
export interface DurableWriteQueueStats {
  /** Points in the journal (including a batch being sent). */
  readonly queuedPoints: number;
  /** Points dropped because the bound was reached: how many, and when the last was dropped. */
  readonly dropped: { readonly count: number; readonly lastAt: number } | null;
  /** When the store last acknowledged a batch. */
  readonly lastFlushOkAt: number | null;
  /** Why the last flush attempt failed; null once a batch went through. */
  readonly lastError: QueueError | null;
}

/** The write side of a metric source as the rest of the engine sees it (DurableWriteQueue is the one). */
export interface MetricWriteQueue extends MetricSink {
  stats(): DurableWriteQueueStats;
  /** Called after anything in `stats()` may have changed. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Cuts a retry delay short (the store answers again). */
  retryNow(): void;
  /** Stops flushing; what was not acknowledged stays queued. */
  close(): Promise<void>;
}

/** What a queue needs: where to keep the journal, where to send it, and its limits. */
export interface DurableWriteQueueOptions {
  /** Folder of the journal; created when missing. */
  readonly dir: string;
  /** Receives the batches, in order. */
  readonly store: Pick<MetricStore, 'write'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Most points kept; beyond it the oldest are dropped and counted (config `metrics.queueMaxPoints`). */
  readonly maxPoints: number;
  /** Names the store in errors and logs (the metric source id). */
  readonly source?: string;
  /** Points per write, at most MAX_BATCH_POINTS (the default). */
  readonly batchSize?: number;
  /** First retry delay after a failed write; doubles on each failure up to `retryMaxMs`. Default 1 s. */
  readonly retryInitialMs?: number;
  /** Longest retry delay. Default 60 s. */
  readonly retryMaxMs?: number;
  /** Deadline of one write. Default 30 s. */
  readonly writeTimeoutMs?: number;
  /**
   * After an idle spell, how long the flusher lets new points gather before sending them (as
   * Telegraf's flush interval): fewer, larger writes and fewer journal files. Default 1 s; 0 sends
   * at once. A backlog is sent without delay.
   */
  readonly flushDelayMs?: number;
  /** Jitter source, uniform in [0, 1); tests pin it. Default Math.random. */
  readonly random?: () => number;
}

interface Segment {
  readonly seq: number;
  readonly path: string;
  /** Valid records in the file. */
  count: number;
  /** Bytes of complete records this process appended: where a failed append is cut back to. */
  bytes: number;
  /** Open for appends (only ever the newest segment); null once sealed. */
  handle: FileHandle | null;
  /** Being sent: sealed, and skipped when dropping so that what the store may hold stays counted. */
  inFlight: boolean;
}

interface PendingEnqueue {
  readonly lines: readonly string[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const SEGMENT_NAME = /^segment-(\d{12})\.jsonl$/;
const TEMP_SUFFIX = '.tmp';

/**
 * A durable, bounded, ordered write queue in front of a MetricStore. Create it with
 * `DurableWriteQueue.open`, which replays the journal and starts flushing; `close` stops.
 */
export class DurableWriteQueue implements MetricWriteQueue {
  private readonly lock = new SerialLock();
  private readonly wakeup = new Wakeup();
  private readonly abort = new AbortController();
  private readonly listeners = new Set<() => void>();
  private readonly segments: Segment[] = [];
  private pending: PendingEnqueue[] = [];
  private nextSeq = 1;
  private queued = 0;
  private dropped: { count: number; lastAt: number } | null = null;
  private lastFlushOkAt: number | null = null;
  private lastError: QueueError | null = null;
  private failures = 0;
  /** Ends the current pause (backoff or flush delay) early. */
  private wakeEarly: (() => void) | null = null;
  private flusher: Promise<void> = Promise.resolve();
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly source: string;
  private readonly batchSize: number;
  /** Points per segment: a batch, and at most half the bound so that drops never need the batch in flight. */
  private readonly segmentCap: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly writeTimeoutMs: number;
  private readonly flushDelayMs: number;
  private readonly random: () => number;

  private constructor(private readonly options: DurableWriteQueueOptions) {
    if (!Number.isInteger(options.maxPoints) || options.maxPoints < 1)
      throw new RangeError(`maxPoints must be a positive integer, got ${options.maxPoints}`);
    const batchSize = options.batchSize ?? MAX_BATCH_POINTS;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_POINTS)
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_POINTS}, got ${batchSize}`);
    this.source = options.source ?? 'metric-store';
    this.batchSize = batchSize;
    this.segmentCap = Math.min(batchSize, Math.max(1, Math.floor(options.maxPoints / 2)));
    this.retryInitialMs = options.retryInitialMs ?? 1_000;
    this.retryMaxMs = Math.max(this.retryInitialMs, options.retryMaxMs ?? 60_000);
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
    this.flushDelayMs = options.flushDelayMs ?? 1_000;
    this.random = options.random ?? Math.random;
  }

  /** Opens (or creates) the journal in `options.dir`, replays what it holds and starts flushing. */
  static async open(options: DurableWriteQueueOptions): Promise<DurableWriteQueue> {
    const queue = new DurableWriteQueue(options);
    await queue.lock.run(() => queue.replay());
    queue.flusher = queue.flushLoop();
    return queue;
  }

  /**
   * Appends the points to the journal; resolves once they are on disk (fsync'ed), in call order:
   * concurrent calls are written in the order they were made. Rejects when the journal cannot be
   * written (disk full...) or the queue is closed; then none of the call's points were queued.
   */
  enqueue(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the metric write queue is closed'));
    let lines: string[];
    try {
      // Encoded now: the caller may reuse its objects as soon as this returns.
      lines = points.map(encodePoint);
    } catch (err: unknown) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ lines, resolve, reject });
      // Group commit: the first append to run takes every waiting call, so one fsync covers them all.
      this.lock
        .run(() => this.appendPending())
        .catch((err: unknown) =>
          this.options.logger.error({ err, source: this.source }, 'journal append failed'),
        );
    });
  }

  /** A snapshot of the queue's counters. */
  stats(): DurableWriteQueueStats {
    return {
      queuedPoints: this.queued,
      dropped: this.dropped ? { ...this.dropped } : null,
      lastFlushOkAt: this.lastFlushOkAt,
      lastError: this.lastError,
    };
  }

  /** Called after anything in `stats()` may have changed. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Cuts a retry delay (or the flush delay) short: the store answers again (a successful probe). */
  retryNow(): void {
    this.wakeEarly?.();
  }

  /**
   * Stops the flusher (aborting a write in flight) and closes the journal. Nothing is lost:
   * points not acknowledged stay in the journal for the next `open`. Calls already made to
   * `enqueue` complete first; later ones reject.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.abort.abort();
      this.wakeEarly?.();
      this.wakeup.notify();
      await this.flusher;
      await this.lock.run(async () => {
        const tail = this.segments.at(-1);
        if (tail?.handle) await this.seal(tail);
      });
      this.listeners.clear();
    })();
    return this.closing;
  }

  // --- journal ---------------------------------------------------------------------------------

  private async replay(): Promise<void> {
    const { dir, logger } = this.options;
    await mkdir(dir, { recursive: true });
    const names = await readdir(dir);
    const found: { seq: number; path: string }[] = [];
    for (const name of names) {
      // A temporary file is a rewrite the crash interrupted before its rename: the original is intact.
      if (name.endsWith(TEMP_SUFFIX)) {
        await rm(join(dir, name), { force: true });
        continue;
      }
      const match = SEGMENT_NAME.exec(name);
      if (match?.[1] !== undefined) found.push({ seq: Number(match[1]), path: join(dir, name) });
    }
    found.sort((a, b) => a.seq - b.seq);
    for (const { seq, path } of found) {
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      const decoded = decodeSegment(await readFile(path, 'utf8'));
      if (decoded.tornTail)
        logger.warn(
          { source: this.source, path },
          'journal ends in a torn record (crash during an append); discarded',
        );
      if (decoded.invalidLines > 0)
        logger.error(
          { source: this.source, path, invalidLines: decoded.invalidLines },
          'journal segment holds damaged records; skipped',
        );
      if (decoded.points.length === 0) {
        await rm(path, { force: true });
        continue;
      }
      this.segments.push({
        seq,
        path,
        count: decoded.points.length,
        bytes: 0,
        handle: null,
        inFlight: false,
      });
      this.queued += decoded.points.length;
    }
    if (this.queued > 0)
      logger.info({ source: this.source, points: this.queued }, 'replaying the metric write journal');
    await this.enforceBound();
  }

  /** Writes every waiting enqueue call, fsyncs, then resolves them. Runs under the lock. */
  private async appendPending(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const lines = batch.flatMap((p) => p.lines);
    const touched = new Map<Segment, { count: number; bytes: number; created: boolean }>();
    try {
      let next = 0;
      while (next < lines.length) {
        const tail = await this.writableTail(touched);
        const chunk = lines.slice(next, next + this.segmentCap - tail.count);
        const text = chunk.join('');
        if (!tail.handle) throw new Error(`journal segment ${tail.path} is not open`);
        await tail.handle.appendFile(text, 'utf8');
        tail.count += chunk.length;
        tail.bytes += Buffer.byteLength(text);
        next += chunk.length;
      }
      const tail = this.segments.at(-1);
      if (tail?.handle) await tail.handle.sync();
      if ([...touched.values()].some((t) => t.created)) await syncDirectory(this.options.dir);
    } catch (err: unknown) {
      await this.rollBack(touched, err);
      for (const p of batch) p.reject(err);
      return;
    }
    this.queued += lines.length;
    try {
      await this.enforceBound();
    } catch (err: unknown) {
      // The points are safely on disk; the bound is enforced again on the next append.
      this.options.logger.error({ err, source: this.source }, 'could not drop the oldest queued points');
    }
    for (const p of batch) p.resolve();
    this.emitChange();
    this.wakeup.notify();
  }

  /** The segment to append to: the newest while it is open and has room, else a new one. */
  private async writableTail(
    touched: Map<Segment, { count: number; bytes: number; created: boolean }>,
  ): Promise<Segment> {
    const tail = this.segments.at(-1);
    if (tail?.handle && tail.count < this.segmentCap) {
      if (!touched.has(tail)) touched.set(tail, { count: tail.count, bytes: tail.bytes, created: false });
      return tail;
    }
    if (tail?.handle) await this.seal(tail);
    const seq = this.nextSeq;
    this.nextSeq += 1;
    const path = join(this.options.dir, `segment-${String(seq).padStart(12, '0')}.jsonl`);
    const handle = await open(path, 'a');
    const segment: Segment = { seq, path, count: 0, bytes: 0, handle, inFlight: false };
    this.segments.push(segment);
    touched.set(segment, { count: 0, bytes: 0, created: true });
    return segment;
  }

  /** Undoes a failed append so that the journal holds none of its points. */
  private async rollBack(
    touched: Map<Segment, { count: number; bytes: number; created: boolean }>,
    cause: unknown,
  ): Promise<void> {
    const { logger } = this.options;
    logger.error({ err: cause, source: this.source }, 'could not append to the metric journal');
    for (const [segment, before] of touched) {
      try {
        // Sealed either way: the next append starts a fresh file rather than trust this one's end.
        await this.closeHandle(segment);
        if (before.created) {
          this.segments.splice(this.segments.indexOf(segment), 1);
          await rm(segment.path, { force: true });
        } else {
          segment.count = before.count;
          segment.bytes = before.bytes;
          await truncate(segment.path, before.bytes);
        }
      } catch (err: unknown) {
        // What stays may be resent after a restart: a duplicate at worst, which the store absorbs.
        logger.error(
          { err, source: this.source, path: segment.path },
          'could not undo a failed journal append',
        );
      }
    }
  }

  /** Drops the oldest points beyond `maxPoints`, skipping a batch in flight. Runs under the lock. */
  private async enforceBound(): Promise<void> {
    let excess = this.queued - this.options.maxPoints;
    let droppedNow = 0;
    for (let i = 0; excess > 0 && i < this.segments.length;) {
      const segment = this.segments[i];
      if (!segment) break;
      if (segment.inFlight) {
        i += 1;
        continue;
      }
      if (segment.count <= excess) {
        await this.closeHandle(segment);
        await rm(segment.path, { force: true });
        this.segments.splice(i, 1);
        this.queued -= segment.count;
        excess -= segment.count;
        droppedNow += segment.count;
      } else {
        const removed = await this.rewriteWithout(segment, excess);
        droppedNow += removed;
        excess = 0;
      }
    }
    if (droppedNow === 0) return;
    const now = this.options.clock.now();
    const count = (this.dropped?.count ?? 0) + droppedNow;
    if (!this.dropped)
      this.options.logger.warn(
        { source: this.source, dropped: droppedNow, maxPoints: this.options.maxPoints },
        'metric queue full: dropping the oldest points',
      );
    this.dropped = { count, lastAt: now };
  }

  /**
   * Rewrites a segment without its first `skip` points (temporary file, fsync, atomic rename), or
   * deletes it when nothing remains. Returns how many points were removed.
   */
  private async rewriteWithout(segment: Segment, skip: number): Promise<number> {
    if (segment.handle) await this.seal(segment);
    const { points } = decodeSegment(await readFile(segment.path, 'utf8'));
    const kept = points.slice(skip);
    // The file is the truth: correct the count in case it held fewer valid records than believed.
    this.queued += points.length - segment.count;
    const removed = points.length - kept.length;
    if (kept.length === 0) {
      await rm(segment.path, { force: true });
      this.segments.splice(this.segments.indexOf(segment), 1);
    } else {
      const text = kept.map(encodePoint).join('');
      const temp = `${segment.path}${TEMP_SUFFIX}`;
      await writeDurably(temp, text);
      await rename(temp, segment.path);
      await syncDirectory(this.options.dir);
      segment.bytes = Buffer.byteLength(text);
    }
    segment.count = kept.length;
    this.queued -= removed;
    return removed;
  }

  private async seal(segment: Segment): Promise<void> {
    const handle = segment.handle;
    if (!handle) return;
    try {
      await handle.sync();
    } finally {
      await this.closeHandle(segment);
    }
  }

  private async closeHandle(segment: Segment): Promise<void> {
    const handle = segment.handle;
    segment.handle = null;
    await handle?.close();
  }

  // --- flushing --------------------------------------------------------------------------------

  private async flushLoop(): Promise<void> {
    while (!this.closed) {
      try {
        const segment = await this.lock.run(() => this.takeHead());
        if (!segment) {
          await this.wakeup.wait();
          // Idle until now: let the points of the next second gather into one batch (and one
          // segment file) instead of sending every poll on its own.
          if (this.flushDelayMs > 0 && !this.closed) await this.pause(this.flushDelayMs);
          continue;
        }
        await this.flushSegment(segment);
      } catch (err: unknown) {
        // A journal operation failed (disk error...): keep the points, record why, try again later.
        this.options.logger.error({ err, source: this.source }, 'metric queue flush step failed');
        await this.failed(err, 'JOURNAL');
      }
    }
  }

  /** The oldest segment, sealed and marked in flight; null when the journal is empty. */
  private async takeHead(): Promise<Segment | null> {
    const head = this.segments[0];
    if (!head) return null;
    if (head.handle) await this.seal(head);
    head.inFlight = true;
    return head;
  }

  private async flushSegment(segment: Segment): Promise<void> {
    let points: MetricPoint[];
    try {
      points = decodeSegment(await readFile(segment.path, 'utf8')).points;
    } catch (err: unknown) {
      segment.inFlight = false;
      if (!isMissingFile(err)) throw err;
      // Deleted behind our back: nothing left to send, and retrying would never succeed.
      this.options.logger.error({ err, source: this.source, path: segment.path }, 'journal segment vanished');
      await this.lock.run(() => this.forget(segment));
      this.emitChange();
      return;
    }
    const batch = points.slice(0, this.batchSize);
    try {
      if (batch.length > 0)
        await withDeadline(
          {
            clock: this.options.clock,
            timeoutMs: this.writeTimeoutMs,
            source: this.source,
            signal: this.abort.signal,
          },
          (signal) => this.options.store.write(batch, signal),
        );
    } catch (err: unknown) {
      segment.inFlight = false;
      // Closing aborts the write on purpose: the points stay in the journal, nothing to report.
      if (this.closed) return;
      if (err instanceof UpstreamError && err.code === 'WRITE_REJECTED') {
        // The store refused the batch itself (a field-type conflict, an unstorable name): retrying
        // can never succeed and would block every point behind it. Drop it, count it, say why.
        this.options.logger.error(
          { source: this.source, code: err.code, message: err.message, points: batch.length },
          'metric store refused a batch; dropping it',
        );
        await this.lock.run(() => this.acknowledge(segment, points.length, batch.length));
        const now = this.options.clock.now();
        this.dropped = { count: (this.dropped?.count ?? 0) + batch.length, lastAt: now };
        this.lastError = { code: err.code, message: err.message, at: now };
        this.emitChange();
        return;
      }
      await this.failed(err, 'INTERNAL');
      return;
    }
    await this.lock.run(() => this.acknowledge(segment, points.length, batch.length));
    if (this.failures > 0)
      this.options.logger.info(
        { source: this.source, queued: this.queued },
        'metric store reachable again; flushing',
      );
    this.failures = 0;
    this.lastFlushOkAt = this.options.clock.now();
    this.lastError = null;
    this.emitChange();
  }

  /** Removes the `sent` first points of a segment holding `total`, after the store acknowledged them. */
  private async acknowledge(segment: Segment, total: number, sent: number): Promise<void> {
    segment.inFlight = false;
    this.queued += total - segment.count;
    segment.count = total;
    if (sent < total) {
      await this.rewriteWithout(segment, sent);
      return;
    }
    this.segments.splice(this.segments.indexOf(segment), 1);
    this.queued -= total;
    segment.count = 0;
    try {
      await rm(segment.path, { force: true });
    } catch (err: unknown) {
      // The batch is in the store; if the file survives, a restart resends it (a harmless duplicate).
      this.options.logger.error(
        { err, source: this.source, path: segment.path },
        'could not trim the journal',
      );
    }
  }

  private forget(segment: Segment): Promise<void> {
    const index = this.segments.indexOf(segment);
    if (index >= 0) {
      this.segments.splice(index, 1);
      this.queued -= segment.count;
    }
    return Promise.resolve();
  }

  /** Records a failed attempt and waits out the backoff (or `retryNow`, or `close`). */
  private async failed(err: unknown, fallbackCode: string): Promise<void> {
    if (this.closed) return;
    this.failures += 1;
    const base = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** Math.min(30, this.failures - 1));
    // "Equal jitter": at least half the base, so a flapping store is not hammered, and consoles
    // restarted together after a power cut do not retry in lockstep.
    const delay = Math.round(base / 2 + (this.random() * base) / 2);
    // The timer is armed before anyone hears of the failure, so a listener that reacts to the
    // failure (a test advancing a fake clock) finds it.
    const backoff = this.pause(delay);
    const { code, message } = describeError(err, fallbackCode);
    if (this.failures === 1)
      this.options.logger.warn(
        { source: this.source, code, message, queued: this.queued },
        'metric store write failed; points kept on disk, retrying with backoff',
      );
    else
      this.options.logger.debug(
        { source: this.source, code, retryInMs: delay },
        'metric store write failed again',
      );
    this.lastError = { code, message, at: this.options.clock.now() };
    this.emitChange();
    await backoff;
  }

  /**
   * Resolves after `ms` on the clock, or at once on `retryNow` or `close`. The timer is armed
   * before this returns.
   */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancel = this.options.clock.setTimeout(() => {
        this.wakeEarly = null;
        resolve();
      }, ms);
      this.wakeEarly = () => {
        this.wakeEarly = null;
        cancel();
        resolve();
      };
    });
  }

  private emitChange(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (err: unknown) {
        this.options.logger.error({ err, source: this.source }, 'metric queue listener failed');
      }
    }
  }
}

function isMissingFile(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}

function describeError(err: unknown, fallbackCode: string): { code: string; message: string } {
  if (err instanceof UpstreamError) return { code: err.code, message: err.message.slice(0, 500) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: fallbackCode, message: message.slice(0, 500) };
}

/** Writes a whole file and fsyncs it before returning. */
async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * On POSIX a created, renamed or deleted file survives a power cut only once its directory is
 * fsync'ed too (see fsync(2), "Calling fsync() does not necessarily ensure that the entry in the
 * directory containing the file has also reached disk"). Windows cannot open a directory this
 * way, and NTFS journals its metadata itself.
 */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Runs async sections one after another, in call order (the journal's single writer). */
class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    // The next section waits for this one whatever its outcome; the caller sees the outcome.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** A wake-up that is not lost when it comes before the wait (the flusher checks, then waits). */
class Wakeup {
  private signalled = false;
  private waiter: (() => void) | null = null;
  notify(): void {
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter();
    } else this.signalled = true;
  }
  wait(): Promise<void> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
