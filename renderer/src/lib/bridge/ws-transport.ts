/**
 * The browser seat: the same `VigieBridge` over a WebSocket to `vigie serve`, following
 * shared/api/wire.ts. The server checks the token and the Origin (close 4401 / 4403), then sends
 * `hello`. When the tab holds a resume token (a person signed in before a reload or a dropped
 * link), the transport presents it (`session.resume`) before it reports the link open, so every
 * request after a reconnection runs as that person again; a refused token is dropped.
 *
 * - every invoke gets an id; its `result` is matched by id and its envelope validated;
 * - when the link drops, pending invokes resolve with UPSTREAM_UNAVAILABLE (never hang);
 * - a lost link is retried with capped exponential back-off and jitter, so a wall of seats does
 *   not reconnect in lock-step after a server restart; 4401 and 4403 are final (a retry loop
 *   cannot fix a wrong token or origin).
 */
import {
  isEventName,
  serverMessageSchema,
  WS_CLOSE_FORBIDDEN_ORIGIN,
  WS_CLOSE_UNAUTHENTICATED,
  type ChannelName,
  type Envelope,
  type ErrorCode,
  type EventName,
  type EventPayload,
  type RequestIn,
  type ResponseOf,
  type VigieBridge,
} from '../../../../shared/api';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { ResumeTokenStore } from './resume-token';
import { checkEnvelope, checkEventPayload, localFailure } from './envelope-validation';
import { consoleDiagnostics, type ConnectionState, type DiagnosticSink, type Transport } from './transport';

/** The part of the DOM WebSocket the transport uses (tests inject a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
}

export interface WebSocketTransportOptions {
  /** Full `ws(s)://host/ws?token=...` URL; null when the seat has no token (nothing to try). */
  readonly url: string | null;
  /** The tab's resume token, presented after every `hello`; null when sessions are not resumed. */
  readonly resumeTokens: ResumeTokenStore | null;
  readonly createSocket: SocketFactory;
  readonly scheduler?: Scheduler;
  readonly now?: () => number;
  readonly random?: () => number;
  /** An invoke without a result after this long resolves with UPSTREAM_TIMEOUT. */
  readonly invokeTimeoutMs?: number;
  /** A socket that has not said `hello` after this long is abandoned and retried. */
  readonly helloTimeoutMs?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly diagnostics?: DiagnosticSink;
}

const browserScheduler: Scheduler = {
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle),
};

/** Close code the console uses when it gives up on a socket itself (4000-4999: private use). */
const CLOSE_ABANDONED = 4000;

interface PendingInvoke {
  readonly settle: (raw: unknown) => void;
  readonly fail: (code: ErrorCode, message: string) => void;
  readonly timer: number;
}

/**
 * Delay before reconnect attempt number `failures` (1-based): the capped exponential ceiling,
 * of which a random half is kept ("equal jitter").
 */
export function backoffDelay(
  failures: number,
  initialMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const scheduler = options.scheduler ?? browserScheduler;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const invokeTimeoutMs = options.invokeTimeoutMs ?? 30_000;
  const helloTimeoutMs = options.helloTimeoutMs ?? 15_000;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const diagnostics = options.diagnostics ?? consoleDiagnostics;

  let state: ConnectionState = { kind: 'connecting', attempt: 1 };
  const stateListeners = new Set<() => void>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const pending = new Map<number, PendingInvoke>();
  /** Invokes made while connecting, sent once the seat is open. */
  let outbox: { id: number; text: string }[] = [];
  let nextId = 1;
  let socket: SocketLike | null = null;
  let failures = 0;
  let retryTimer: number | null = null;
  let helloTimer: number | null = null;
  let disposed = false;

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of [...stateListeners]) {
      try {
        listener();
      } catch (err: unknown) {
        diagnostics('a connection-state listener threw', err);
      }
    }
  }

  function clearTimer(handle: number | null): null {
    if (handle !== null) scheduler.clearTimeout(handle);
    return null;
  }

  function failAllPending(code: ErrorCode, message: string): void {
    const entries = [...pending.values()];
    pending.clear();
    outbox = [];
    for (const entry of entries) entry.fail(code, message);
  }

  function sendNow(id: number, text: string): void {
    const entry = pending.get(id);
    if (!entry) return;
    try {
      if (!socket) throw new Error('no socket');
      socket.send(text);
    } catch (err: unknown) {
      diagnostics('could not send an invoke', err);
      pending.delete(id);
      entry.fail('UPSTREAM_UNAVAILABLE', 'the link to the engine is down');
    }
  }

  /** Sends (or queues) an invoke; `immediate` bypasses the queue for the resume during the handshake. */
  function request<C extends ChannelName>(
    channel: C,
    body: RequestIn<C>,
    immediate: boolean,
  ): Promise<Envelope<ResponseOf<C>>> {
    return new Promise((resolve) => {
      if (disposed || state.kind === 'closed' || socket === null) {
        resolve(localFailure('UPSTREAM_UNAVAILABLE', 'the link to the engine is down'));
        return;
      }
      const id = nextId;
      nextId += 1;
      const timer = scheduler.setTimeout(() => {
        const entry = pending.get(id);
        if (!entry) return;
        pending.delete(id);
        entry.fail('UPSTREAM_TIMEOUT', `no answer to "${channel}" in time`);
      }, invokeTimeoutMs);
      pending.set(id, {
        timer,
        settle: (raw) => {
          scheduler.clearTimeout(timer);
          const checked = checkEnvelope(channel, raw);
          if (!checked.valid) diagnostics(`reply to "${channel}" breaks the contract`, checked.issues);
          resolve(checked.envelope);
        },
        fail: (code, message) => {
          scheduler.clearTimeout(timer);
          resolve(localFailure(code, message));
        },
      });
      const text = JSON.stringify({ type: 'invoke', id, channel, request: body });
      if (immediate || state.kind === 'open') sendNow(id, text);
      else outbox.push({ id, text });
    });
  }

  function markOpen(): void {
    failures = 0;
    setState({ kind: 'open' });
    const queued = outbox;
    outbox = [];
    for (const { id, text } of queued) sendNow(id, text);
  }

  async function onHello(from: SocketLike): Promise<void> {
    helloTimer = clearTimer(helloTimer);
    const token = options.resumeTokens?.get() ?? null;
    if (token !== null) {
      const envelope = await request('session.resume', { token }, true);
      if (from !== socket || disposed) return;
      // Refused (expired, signed out elsewhere): the token is worthless. Any other failure (the
      // link dropped again, a timeout) says nothing about the token: keep it for the next try.
      if (!envelope.ok && envelope.error.code === 'UNAUTHENTICATED') options.resumeTokens?.clear();
      else if (!envelope.ok) diagnostics(`resuming the session failed: ${envelope.error.code}`);
    }
    markOpen();
  }

  function onMessage(from: SocketLike, data: unknown): void {
    if (from !== socket) return;
    if (typeof data !== 'string') {
      diagnostics('ignored a non-text message');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (err: unknown) {
      diagnostics('ignored a message that is not JSON', err);
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) {
      diagnostics('ignored a message that breaks the wire protocol', parsed.error.issues);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'hello':
        if (state.kind === 'connecting') {
          onHello(from).catch((err: unknown) => diagnostics('resuming the session after hello failed', err));
        }
        return;
      case 'result': {
        const entry = pending.get(message.id);
        if (!entry) return; // timed out already, or not ours
        pending.delete(message.id);
        entry.settle(message.envelope);
        return;
      }
      case 'event': {
        if (!isEventName(message.event)) {
          diagnostics(`ignored unknown event "${message.event.slice(0, 80)}"`);
          return;
        }
        for (const listener of [...(eventListeners.get(message.event) ?? [])]) listener(message.payload);
        return;
      }
      default:
        throw missingCase(message);
    }
  }

  function onClosed(from: SocketLike, code: number | null): void {
    if (from !== socket) return;
    socket = null;
    helloTimer = clearTimer(helloTimer);
    failAllPending('UPSTREAM_UNAVAILABLE', 'the link to the engine dropped');
    if (disposed) return;
    if (code === WS_CLOSE_UNAUTHENTICATED) {
      setState({ kind: 'closed', reason: 'unauthenticated', retryAt: null, code });
      return;
    }
    if (code === WS_CLOSE_FORBIDDEN_ORIGIN) {
      setState({ kind: 'closed', reason: 'forbiddenOrigin', retryAt: null, code });
      return;
    }
    scheduleRetry(code);
  }

  function scheduleRetry(code: number | null): void {
    failures += 1;
    const delay = backoffDelay(failures, backoff.initialMs, backoff.maxMs, random);
    retryTimer = clearTimer(retryTimer);
    retryTimer = scheduler.setTimeout(connect, delay);
    setState({ kind: 'closed', reason: 'lost', retryAt: now() + delay, code });
  }

  function abandon(from: SocketLike, why: string): void {
    diagnostics(why);
    from.onopen = null;
    from.onmessage = null;
    from.onclose = null;
    from.onerror = null;
    try {
      from.close(CLOSE_ABANDONED, why.slice(0, 100));
    } catch (err: unknown) {
      diagnostics('closing an abandoned socket failed', err);
    }
    onClosed(from, null);
  }

  function connect(): void {
    retryTimer = clearTimer(retryTimer);
    if (disposed || options.url === null) return;
    setState({ kind: 'connecting', attempt: failures + 1 });
    let created: SocketLike;
    try {
      created = options.createSocket(options.url);
    } catch (err: unknown) {
      diagnostics('could not open the WebSocket', err);
      scheduleRetry(null);
      return;
    }
    socket = created;
    created.onmessage = (event) => onMessage(created, event.data);
    created.onclose = (event) => onClosed(created, event.code);
    created.onerror = () => diagnostics('WebSocket error (the close event follows)');
    helloTimer = scheduler.setTimeout(() => {
      if (created === socket && state.kind === 'connecting')
        abandon(created, 'no hello from the engine in time');
    }, helloTimeoutMs);
  }

  const bridge: VigieBridge = {
    invoke: (channel, body) => request(channel, body, false),
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const wrapped = (raw: unknown): void => {
        const checked = checkEventPayload(event, raw);
        if (!checked.valid) {
          diagnostics(`event "${event}" dropped: payload breaks the contract`, checked.issues);
          return;
        }
        try {
          listener(checked.payload);
        } catch (err: unknown) {
          diagnostics(`a listener of "${event}" threw`, err);
        }
      };
      const set = eventListeners.get(event) ?? new Set();
      set.add(wrapped);
      eventListeners.set(event, set);
      return () => {
        set.delete(wrapped);
      };
    },
  };

  if (options.url === null) state = { kind: 'closed', reason: 'unauthenticated', retryAt: null, code: null };
  else connect();

  return {
    kind: 'websocket',
    bridge,
    getState: () => state,
    subscribe(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    reconnectNow() {
      if (state.kind === 'closed' && state.reason === 'lost') connect();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      retryTimer = clearTimer(retryTimer);
      helloTimer = clearTimer(helloTimer);
      const current = socket;
      socket = null;
      failAllPending('UPSTREAM_UNAVAILABLE', 'the console closed the link');
      if (current) {
        current.onmessage = null;
        current.onclose = null;
        current.onerror = null;
        try {
          current.close(1000, 'console closed');
        } catch (err: unknown) {
          diagnostics('closing the WebSocket failed', err);
        }
      }
      setState({ kind: 'closed', reason: 'disposed', retryAt: null, code: null });
    },
  };
}
