import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/api';
import type { MainToHost } from '../engine/host/host-protocol';
import { EngineSupervisor, type EngineChild } from './engine-supervisor';
import { fakeLogger } from './test-support/fake-logger';

class FakeChild implements EngineChild {
  static spawned: FakeChild[] = [];
  readonly pid = 1000 + FakeChild.spawned.length;
  readonly posted: MainToHost[] = [];
  killed = 0;
  private messageListener: ((m: unknown) => void) | null = null;
  private exitListener: ((code: number) => void) | null = null;

  constructor() {
    FakeChild.spawned.push(this);
  }
  postMessage(message: MainToHost): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed += 1;
    return true;
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (code: number) => void): void {
    this.exitListener = listener;
  }
  send(message: unknown): void {
    this.messageListener?.(message);
  }
  exit(code: number): void {
    this.exitListener?.(code);
  }
  ready(training = true): void {
    this.send({ type: 'ready', version: '0.1.0', training });
  }
  invokes(): Extract<MainToHost, { type: 'invoke' }>[] {
    return this.posted.filter((m): m is Extract<MainToHost, { type: 'invoke' }> => m.type === 'invoke');
  }
}

const latest = (): FakeChild => FakeChild.spawned.at(-1)!;

function supervisor(overrides: { invokeTimeoutMs?: number; readyTimeoutMs?: number } = {}) {
  const logger = fakeLogger();
  const engine = new EngineSupervisor({
    spawn: () => new FakeChild(),
    logger,
    invokeTimeoutMs: overrides.invokeTimeoutMs ?? 1_000,
    readyTimeoutMs: overrides.readyTimeoutMs ?? 5_000,
    stopGraceMs: 500,
    restartPolicy: { baseMs: 100, capMs: 800, stableAfterMs: 10_000 },
  });
  return { engine, logger };
}

function errorCode(envelope: Envelope<unknown>): string | null {
  return envelope.ok ? null : envelope.error.code;
}

describe('EngineSupervisor', () => {
  beforeEach(() => {
    FakeChild.spawned = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds calls until the engine is ready, then forwards them as invoke messages', async () => {
    const { engine } = supervisor();
    engine.start();
    const answer = engine.invoke('overview.get', {});
    expect(latest().invokes()).toHaveLength(0);
    latest().ready();
    expect(engine.state).toBe('ready');
    const [message] = latest().invokes();
    expect(message).toEqual({
      type: 'invoke',
      id: message!.id,
      channel: 'overview.get',
      request: {},
    });
    latest().send({ type: 'result', id: message!.id, envelope: { ok: true, value: 42 } });
    await expect(answer).resolves.toEqual({ ok: true, value: 42 });
  });

  it('answers UPSTREAM_TIMEOUT when the engine does not answer in time, and drops the late result', async () => {
    const { engine } = supervisor({ invokeTimeoutMs: 1_000 });
    engine.start();
    latest().ready();
    const answer = engine.invoke('tiles.history', {});
    await vi.advanceTimersByTimeAsync(1_000);
    const envelope = await answer;
    expect(errorCode(envelope)).toBe('UPSTREAM_TIMEOUT');
    if (!envelope.ok) expect(envelope.error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    latest().send({ type: 'result', id: latest().invokes()[0]!.id, envelope: { ok: true, value: 'late' } });
  });

  it('turns a malformed envelope into INTERNAL', async () => {
    const { engine } = supervisor();
    engine.start();
    latest().ready();
    const answer = engine.invoke('app.info', {});
    latest().send({ type: 'result', id: latest().invokes()[0]!.id, envelope: { ok: 'yes' } });
    expect(errorCode(await answer)).toBe('INTERNAL');
  });

  it('hands engine events to its listeners', () => {
    const { engine } = supervisor();
    const listener = vi.fn();
    engine.onEvent(listener);
    engine.start();
    latest().ready();
    latest().send({ type: 'event', event: 'overview.changed', payload: { status: 'down' } });
    expect(listener).toHaveBeenCalledWith('overview.changed', { status: 'down' });
  });

  it('after a crash: fails pending calls with UPSTREAM_UNAVAILABLE, answers UNAVAILABLE while down, restarts after the backoff', async () => {
    const { engine, logger } = supervisor();
    const down = vi.fn();
    engine.onDown(down);
    engine.start();
    latest().ready();
    const pending = engine.invoke('overview.get', {});
    latest().exit(9);
    expect(errorCode(await pending)).toBe('UPSTREAM_UNAVAILABLE');
    expect(down).toHaveBeenCalledTimes(1);
    expect(engine.state).toBe('waiting-restart');
    expect(errorCode(await engine.invoke('overview.get', {}))).toBe('UPSTREAM_UNAVAILABLE');
    expect(logger.lines.some((l) => l.level === 'error' && l.msg === 'engine exited unexpectedly')).toBe(
      true,
    );

    await vi.advanceTimersByTimeAsync(99);
    expect(FakeChild.spawned).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeChild.spawned).toHaveLength(2);
    expect(engine.state).toBe('starting');
    latest().ready();
    expect(engine.state).toBe('ready');
  });

  it('backs off exponentially up to the cap while the engine keeps crashing', async () => {
    const { engine } = supervisor();
    engine.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      latest().exit(1);
      const before = FakeChild.spawned.length;
      let waited = 0;
      while (FakeChild.spawned.length === before) {
        await vi.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 800, 800, 800]);
  });

  it('resets the backoff after the engine stayed up long enough', async () => {
    const { engine } = supervisor();
    engine.start();
    latest().exit(1); // attempt 0: 100 ms
    await vi.advanceTimersByTimeAsync(100);
    latest().exit(1); // attempt 1: 200 ms
    await vi.advanceTimersByTimeAsync(200);
    latest().ready();
    await vi.advanceTimersByTimeAsync(10_000);
    latest().exit(1);
    const before = FakeChild.spawned.length;
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeChild.spawned.length).toBe(before + 1);
  });

  it('kills an engine that never becomes ready, then restarts it', async () => {
    const { engine } = supervisor({ readyTimeoutMs: 5_000 });
    engine.start();
    const first = latest();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(first.killed).toBe(1);
    first.exit(15);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeChild.spawned).toHaveLength(2);
  });

  it('kills the engine when it reports a fatal error', () => {
    const { engine } = supervisor();
    engine.start();
    latest().send({ type: 'fatal', message: 'database is locked' });
    expect(latest().killed).toBe(1);
  });

  it('does not restart an engine that reported a fatal error', async () => {
    const { engine } = supervisor();
    engine.start();
    latest().send({ type: 'fatal', message: 'inventory.devices.0.zone: unknown zone' });
    latest().exit(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeChild.spawned).toHaveLength(1);
    expect(engine.state).toBe('stopped');
  });

  it('ignores messages that are not in the protocol', () => {
    const { engine, logger } = supervisor();
    engine.start();
    latest().send({ type: 'result', id: -1, envelope: {} });
    latest().send('hello');
    expect(engine.state).toBe('starting');
    expect(logger.lines.filter((l) => l.msg === 'ignored a malformed message from the engine')).toHaveLength(
      2,
    );
  });

  it('stops cleanly: asks for shutdown, resolves on exit, does not restart', async () => {
    const { engine } = supervisor();
    engine.start();
    latest().ready();
    const stopped = engine.stop();
    expect(latest().posted.at(-1)).toEqual({ type: 'shutdown' });
    latest().exit(0);
    await stopped;
    expect(engine.state).toBe('stopped');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeChild.spawned).toHaveLength(1);
  });

  it('kills an engine that ignores the shutdown request', async () => {
    const { engine } = supervisor();
    engine.start();
    latest().ready();
    const stopped = engine.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(latest().killed).toBe(1);
    latest().exit(143);
    await stopped;
    expect(engine.state).toBe('stopped');
  });

  it('does not hold the quit forever when the engine never reports its exit', async () => {
    const { engine } = supervisor();
    engine.start();
    latest().ready();
    const stopped = engine.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
    expect(engine.state).toBe('stopped');
  });
});
