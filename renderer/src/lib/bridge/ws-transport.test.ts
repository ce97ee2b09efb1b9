import { describe, expect, it, vi } from 'vitest';
import { WS_CLOSE_UNAUTHENTICATED } from '../../../../shared/api';
import { fixtureOverview, fixtureSession } from '../testing/fixtures';
import { createResumeTokenStore, RESUME_TOKEN_STORAGE_KEY } from './resume-token';
import {
  backoffDelay,
  createWebSocketTransport,
  type Scheduler,
  type SocketLike,
  type WebSocketTransportOptions,
} from './ws-transport';

/** A WebSocket the test plays the server side of. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: { code: number | undefined; reason: string | undefined } | null = null;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }

  // --- the server side ---
  accept(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
    this.push({ type: 'hello', version: '0.1.0', training: true });
  }
  push(message: unknown): void {
    this.onmessage?.(
      new MessageEvent('message', { data: typeof message === 'string' ? message : JSON.stringify(message) }),
    );
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code, reason: '' }));
  }
  invokes(): { id: number; channel: string; request: unknown }[] {
    return this.sent.map((s) => JSON.parse(s) as { id: number; channel: string; request: unknown });
  }
  lastInvoke(): { id: number; channel: string; request: unknown } {
    const all = this.invokes();
    return all[all.length - 1]!;
  }
}

/** Timers that fire only when the test advances time. */
class ManualScheduler implements Scheduler {
  now = 0;
  private nextHandle = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.now + ms, callback });
    return handle;
  }
  clearTimeout(handle: number): void {
    this.timers.delete(handle);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
  pending(): number {
    return this.timers.size;
  }
}

function setup(overrides: Partial<WebSocketTransportOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const scheduler = new ManualScheduler();
  const diagnostics = vi.fn();
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:8080/ws?token=seat-token',
    resumeTokens: null,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    scheduler,
    now: () => scheduler.now,
    random: () => 1,
    diagnostics,
    ...overrides,
  });
  const socket = (index = sockets.length - 1) => sockets[index]!;
  return { transport, sockets, socket, scheduler, diagnostics };
}

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  };
}

/** Lets promise continuations (the sign-in after hello) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createWebSocketTransport', () => {
  it('connects to the URL it was given and is open once the server says hello', () => {
    const { transport, socket } = setup();
    expect(socket().url).toBe('ws://127.0.0.1:8080/ws?token=seat-token');
    expect(transport.getState()).toEqual({ kind: 'connecting', attempt: 1 });
    socket().accept();
    expect(transport.getState()).toEqual({ kind: 'open' });
  });

  it('correlates each result with its invoke by id, whatever the order of the answers', async () => {
    const { transport, socket } = setup();
    socket().accept();
    const info = transport.bridge.invoke('app.info', {});
    const overview = transport.bridge.invoke('overview.get', {});
    const [first, second] = socket().invokes();
    expect(first).toMatchObject({ type: 'invoke', channel: 'app.info', request: {} });
    expect(second).toMatchObject({ type: 'invoke', channel: 'overview.get' });
    expect(first!.id).not.toBe(second!.id);

    socket().push({ type: 'result', id: second!.id, envelope: { ok: true, value: fixtureOverview() } });
    socket().push({
      type: 'result',
      id: first!.id,
      envelope: {
        ok: true,
        value: {
          name: 'Vigie',
          version: '0.1.0',
          training: true,
          locale: 'fr',
          timeZone: 'Europe/Brussels',
        },
      },
    });
    const infoEnvelope = await info;
    const overviewEnvelope = await overview;
    expect(infoEnvelope.ok && infoEnvelope.value.locale).toBe('fr');
    expect(overviewEnvelope.ok && overviewEnvelope.value.revision).toBe(10);
  });

  it('queues invokes made while connecting and sends them once open', async () => {
    const { transport, socket } = setup();
    const pending = transport.bridge.invoke('estate.scenarios', {});
    expect(socket().sent).toHaveLength(0);
    socket().accept();
    const sent = socket().lastInvoke();
    expect(sent.channel).toBe('estate.scenarios');
    socket().push({
      type: 'result',
      id: sent.id,
      envelope: { ok: false, error: { code: 'FORBIDDEN', message: 'no', correlationId: 'c1' } },
    });
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'no', correlationId: 'c1' },
    });
  });

  it('turns a reply that breaks the contract into an INTERNAL error', async () => {
    const { transport, socket, diagnostics } = setup();
    socket().accept();
    const pending = transport.bridge.invoke('app.info', {});
    socket().push({
      type: 'result',
      id: socket().lastInvoke().id,
      envelope: { ok: true, value: { name: 'Not Vigie' } },
    });
    const envelope = await pending;
    expect(envelope.ok).toBe(false);
    expect(!envelope.ok && envelope.error.code).toBe('INTERNAL');
    expect(diagnostics).toHaveBeenCalled();
  });

  it('dispatches validated events to their listeners and drops malformed ones', () => {
    const { transport, socket, diagnostics } = setup();
    socket().accept();
    const listener = vi.fn();
    const off = transport.bridge.on('overview.changed', listener);
    socket().push({ type: 'event', event: 'overview.changed', payload: fixtureOverview({ revision: 12 }) });
    expect(listener).toHaveBeenCalledTimes(1);
    expect((listener.mock.calls[0]![0] as { revision: number }).revision).toBe(12);

    socket().push({ type: 'event', event: 'overview.changed', payload: { revision: 'thirteen' } });
    socket().push({ type: 'event', event: 'something.unknown', payload: {} });
    socket().push('not json');
    socket().push({ type: 'surprise' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(diagnostics).toHaveBeenCalledTimes(4);

    off();
    socket().push({ type: 'event', event: 'overview.changed', payload: fixtureOverview({ revision: 14 }) });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('resolves pending invokes with UPSTREAM_UNAVAILABLE when the socket drops, then reconnects with growing back-off', async () => {
    const { transport, sockets, socket, scheduler } = setup();
    socket().accept();
    const pending = transport.bridge.invoke('overview.get', {});
    socket().drop(1006);
    const envelope = await pending;
    expect(!envelope.ok && envelope.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(transport.getState()).toEqual({ kind: 'closed', reason: 'lost', retryAt: 1_000, code: 1006 });

    // While closed, new invokes fail at once instead of hanging.
    const meanwhile = await transport.bridge.invoke('app.info', {});
    expect(!meanwhile.ok && meanwhile.error.code).toBe('UPSTREAM_UNAVAILABLE');

    scheduler.advance(999);
    expect(sockets).toHaveLength(1);
    scheduler.advance(1);
    expect(sockets).toHaveLength(2);
    expect(transport.getState()).toEqual({ kind: 'connecting', attempt: 2 });

    socket().drop(1006);
    expect(transport.getState()).toMatchObject({ kind: 'closed', reason: 'lost', retryAt: 1_000 + 2_000 });
    scheduler.advance(2_000);
    expect(sockets).toHaveLength(3);
    socket().accept();
    expect(transport.getState().kind).toBe('open');

    // A successful hello resets the back-off.
    socket().drop(1001);
    expect(transport.getState()).toMatchObject({ reason: 'lost', retryAt: scheduler.now + 1_000 });
  });

  it('stops on close 4401: unauthenticated, without a reconnect loop', () => {
    const { transport, sockets, socket, scheduler } = setup();
    socket().drop(WS_CLOSE_UNAUTHENTICATED);
    expect(transport.getState()).toEqual({
      kind: 'closed',
      reason: 'unauthenticated',
      retryAt: null,
      code: 4401,
    });
    scheduler.advance(10 * 60_000);
    transport.reconnectNow();
    expect(sockets).toHaveLength(1);
    expect(scheduler.pending()).toBe(0);
  });

  it('does not even try without a seat token', async () => {
    const createSocket = vi.fn();
    const { transport } = setup({ url: null, createSocket });
    expect(transport.getState()).toEqual({
      kind: 'closed',
      reason: 'unauthenticated',
      retryAt: null,
      code: null,
    });
    expect(createSocket).not.toHaveBeenCalled();
    const envelope = await transport.bridge.invoke('app.info', {});
    expect(!envelope.ok && envelope.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('resumes the stored session after hello, before reporting the seat open, and again after a reconnect', async () => {
    const storage = memoryStorage({ [RESUME_TOKEN_STORAGE_KEY]: 'resume-1' });
    const { transport, socket, scheduler } = setup({ resumeTokens: createResumeTokenStore(storage) });
    const early = transport.bridge.invoke('estate.scenarios', {});
    socket().accept();
    const resume = socket().lastInvoke();
    expect(resume).toMatchObject({ channel: 'session.resume', request: { token: 'resume-1' } });
    expect(socket().invokes()).toHaveLength(1);
    expect(transport.getState().kind).toBe('connecting');

    socket().push({ type: 'result', id: resume.id, envelope: { ok: true, value: fixtureSession() } });
    await settle();
    expect(transport.getState()).toEqual({ kind: 'open' });
    expect(socket().lastInvoke().channel).toBe('estate.scenarios');
    socket().push({
      type: 'result',
      id: socket().lastInvoke().id,
      envelope: { ok: true, value: { available: false, active: null, scenarios: [] } },
    });
    expect((await early).ok).toBe(true);

    // The link drops; the new socket presents the same token first.
    socket().drop(1006);
    scheduler.advance(1_000);
    socket().accept();
    expect(socket().invokes()).toEqual([
      expect.objectContaining({ channel: 'session.resume', request: { token: 'resume-1' } }),
    ]);
    socket().push({
      type: 'result',
      id: socket().lastInvoke().id,
      envelope: { ok: true, value: fixtureSession() },
    });
    await settle();
    expect(transport.getState()).toEqual({ kind: 'open' });
    expect(storage.data.get(RESUME_TOKEN_STORAGE_KEY)).toBe('resume-1');
  });

  it('drops a resume token the engine refuses and opens the seat without a session', async () => {
    const storage = memoryStorage({ [RESUME_TOKEN_STORAGE_KEY]: 'stale' });
    const { transport, socket } = setup({ resumeTokens: createResumeTokenStore(storage) });
    socket().accept();
    socket().push({
      type: 'result',
      id: socket().lastInvoke().id,
      envelope: {
        ok: false,
        error: { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED', message: 'ended', correlationId: 'c' },
      },
    });
    await settle();
    expect(transport.getState()).toEqual({ kind: 'open' });
    expect(storage.data.has(RESUME_TOKEN_STORAGE_KEY)).toBe(false);
  });

  it('keeps the token when the resume fails for another reason (the link, not the session)', async () => {
    const storage = memoryStorage({ [RESUME_TOKEN_STORAGE_KEY]: 'keep-me' });
    const { transport, socket, scheduler } = setup({
      resumeTokens: createResumeTokenStore(storage),
      invokeTimeoutMs: 5_000,
    });
    socket().accept();
    scheduler.advance(5_000);
    await settle();
    expect(transport.getState()).toEqual({ kind: 'open' });
    expect(storage.data.get(RESUME_TOKEN_STORAGE_KEY)).toBe('keep-me');
  });

  it('sends nothing before opening when the tab holds no token', () => {
    const { transport, socket } = setup({ resumeTokens: createResumeTokenStore(memoryStorage()) });
    socket().accept();
    expect(socket().invokes()).toEqual([]);
    expect(transport.getState()).toEqual({ kind: 'open' });
  });

  it('resolves an unanswered invoke with UPSTREAM_TIMEOUT and ignores the late answer', async () => {
    const { transport, socket, scheduler } = setup({ invokeTimeoutMs: 5_000 });
    socket().accept();
    const pending = transport.bridge.invoke('overview.get', {});
    scheduler.advance(5_000);
    const envelope = await pending;
    expect(!envelope.ok && envelope.error.code).toBe('UPSTREAM_TIMEOUT');
    socket().push({
      type: 'result',
      id: socket().lastInvoke().id,
      envelope: { ok: true, value: fixtureOverview() },
    });
  });

  it('abandons a socket that never says hello and tries again', () => {
    const { transport, sockets, socket, scheduler } = setup({ helloTimeoutMs: 15_000 });
    scheduler.advance(15_000);
    expect(socket(0).closedWith?.code).toBe(4000);
    expect(transport.getState()).toMatchObject({ kind: 'closed', reason: 'lost' });
    scheduler.advance(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('closes the socket, fails pending invokes and stops its timers when disposed', async () => {
    const { transport, socket, scheduler } = setup();
    socket().accept();
    const pending = transport.bridge.invoke('overview.get', {});
    transport.dispose();
    expect(socket().closedWith).toEqual({ code: 1000, reason: 'console closed' });
    const envelope = await pending;
    expect(!envelope.ok && envelope.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(transport.getState()).toMatchObject({ kind: 'closed', reason: 'disposed' });
    expect(scheduler.pending()).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap and keeps a random half as jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 1_000, 30_000, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(3, 1_000, 30_000, () => 0)).toBe(2_000);
  });
});
