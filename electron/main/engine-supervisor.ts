/**
 * Runs the engine in a child (Electron utilityProcess in production, a fake in tests): waits for
 * its `ready`, forwards invokes with a timeout, hands its events on, and restarts it with capped
 * backoff when it exits on its own. While it is down, invokes answer UPSTREAM_UNAVAILABLE at
 * once; while it is starting they wait (within their timeout) for it to be ready.
 * See docs/adr/0001-engine-in-utility-process.md.
 */
import type { Envelope } from '../../shared/api';
import type { MainToHost } from '../engine/host/host-protocol';
import { asEnvelope, failure, newCorrelationId } from './envelopes';
import {
  attemptAfterExit,
  DEFAULT_RESTART_POLICY,
  parseHostMessage,
  restartDelayMs,
  type RestartPolicy,
} from './engine-protocol';
import type { ShellLogger } from './logger';

/** The child process as the supervisor sees it. */
export interface EngineChild {
  readonly pid: number | undefined;
  postMessage(message: MainToHost): void;
  kill(): boolean;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
}

export type EngineState = 'idle' | 'starting' | 'ready' | 'waiting-restart' | 'stopping' | 'stopped';

export interface EngineReadyInfo {
  readonly version: string;
  readonly training: boolean;
}

export interface EngineSupervisorOptions {
  readonly spawn: () => EngineChild;
  readonly logger: ShellLogger;
  /** Safety net over the engine's own timeouts. */
  readonly invokeTimeoutMs?: number;
  readonly readyTimeoutMs?: number;
  /** How long `stop` waits for a clean shutdown before killing. */
  readonly stopGraceMs?: number;
  readonly restartPolicy?: RestartPolicy;
  readonly now?: () => number;
}

interface Pending {
  readonly channel: string;
  readonly correlationId: string;
  readonly message: MainToHost;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly resolve: (envelope: Envelope<unknown>) => void;
  posted: boolean;
}

export class EngineSupervisor {
  private readonly spawnChild: () => EngineChild;
  private readonly log: ShellLogger;
  private readonly invokeTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly stopGraceMs: number;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;

  private currentState: EngineState = 'idle';
  private child: EngineChild | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private attempt = 0;
  private readyAt: number | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  /** The reason the engine gave for a fatal error, if it gave one. */
  private fatal: string | null = null;
  private stopTimers: ReturnType<typeof setTimeout>[] = [];
  private stopWaiters: (() => void)[] = [];
  private readonly eventListeners: ((event: string, payload: unknown) => void)[] = [];
  private readonly readyListeners: ((info: EngineReadyInfo) => void)[] = [];
  private readonly downListeners: (() => void)[] = [];

  constructor(options: EngineSupervisorOptions) {
    this.spawnChild = options.spawn;
    this.log = options.logger;
    this.invokeTimeoutMs = options.invokeTimeoutMs ?? 20_000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.stopGraceMs = options.stopGraceMs ?? 3_000;
    this.policy = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
    this.now = options.now ?? Date.now;
  }

  get state(): EngineState {
    return this.currentState;
  }

  onEvent(listener: (event: string, payload: unknown) => void): void {
    this.eventListeners.push(listener);
  }

  onReady(listener: (info: EngineReadyInfo) => void): void {
    this.readyListeners.push(listener);
  }

  /** Called when a running engine goes away (crash, kill, stop). */
  onDown(listener: () => void): void {
    this.downListeners.push(listener);
  }

  start(): void {
    if (this.currentState !== 'idle') return;
    this.launch();
  }

  /** Forwards one call; always resolves with an envelope, never rejects. */
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>> {
    const correlationId = newCorrelationId();
    if (this.currentState !== 'starting' && this.currentState !== 'ready') {
      this.log.warn({ channel, correlationId, state: this.currentState }, 'engine unavailable');
      return Promise.resolve(
        failure('UPSTREAM_UNAVAILABLE', 'the engine is not running; it is being restarted', correlationId),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.log.warn(
          { channel, correlationId, id, timeoutMs: this.invokeTimeoutMs },
          'engine call timed out',
        );
        resolve(failure('UPSTREAM_TIMEOUT', `the engine did not answer "${channel}" in time`, correlationId));
      }, this.invokeTimeoutMs);
      const entry: Pending = {
        channel,
        correlationId,
        message: { type: 'invoke', id, channel, request },
        timer,
        resolve,
        posted: false,
      };
      this.pending.set(id, entry);
      if (this.currentState === 'ready') this.post(id, entry);
    });
  }

  /** Asks the engine to shut down, kills it after a grace period; resolves when it is gone. */
  stop(): Promise<void> {
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (child === null) {
      this.currentState = 'stopped';
      return Promise.resolve();
    }
    if (this.currentState !== 'stopping') {
      this.currentState = 'stopping';
      this.failAll('the engine is shutting down');
      try {
        child.postMessage({ type: 'shutdown' });
      } catch (err: unknown) {
        this.log.warn({ err }, 'could not ask the engine to shut down');
      }
      this.stopTimers.push(
        setTimeout(() => {
          this.log.warn(
            { pid: child.pid, graceMs: this.stopGraceMs },
            'engine did not stop in time; killing it',
          );
          child.kill();
          // If no exit is ever reported, do not hold the app's quit forever.
          this.stopTimers.push(setTimeout(() => this.finishStop(), this.stopGraceMs));
        }, this.stopGraceMs),
      );
    }
    return new Promise((resolve) => this.stopWaiters.push(resolve));
  }

  private launch(): void {
    this.currentState = 'starting';
    this.readyAt = null;
    let child: EngineChild;
    try {
      child = this.spawnChild();
    } catch (err: unknown) {
      this.log.error({ err }, 'could not start the engine');
      this.scheduleRestart();
      return;
    }
    this.child = child;
    this.log.info({ pid: child.pid, attempt: this.attempt }, 'engine starting');
    child.onMessage((message) => {
      if (this.child === child) this.handleMessage(child, message);
    });
    child.onExit((code) => {
      if (this.child === child) this.handleExit(code);
    });
    this.readyTimer = setTimeout(() => {
      this.readyTimer = null;
      this.log.error(
        { pid: child.pid, readyTimeoutMs: this.readyTimeoutMs },
        'engine did not become ready; killing it',
      );
      child.kill();
    }, this.readyTimeoutMs);
  }

  private handleMessage(child: EngineChild, raw: unknown): void {
    const message = parseHostMessage(raw);
    if (message === null) {
      this.log.warn({ type: typeof raw }, 'ignored a malformed message from the engine');
      return;
    }
    switch (message.type) {
      case 'ready': {
        if (this.currentState !== 'starting') return;
        if (this.readyTimer !== null) clearTimeout(this.readyTimer);
        this.readyTimer = null;
        this.currentState = 'ready';
        this.readyAt = this.now();
        this.log.info(
          { pid: child.pid, version: message.version, training: message.training },
          'engine ready',
        );
        for (const [id, entry] of this.pending) if (!entry.posted) this.post(id, entry);
        const info: EngineReadyInfo = { version: message.version, training: message.training };
        for (const listener of this.readyListeners) this.safely(() => listener(info), 'ready listener');
        return;
      }
      case 'result': {
        const entry = this.pending.get(message.id);
        if (!entry) {
          this.log.debug({ id: message.id }, 'late or unknown result from the engine (dropped)');
          return;
        }
        this.pending.delete(message.id);
        clearTimeout(entry.timer);
        entry.resolve(asEnvelope(message.envelope, entry.correlationId));
        return;
      }
      case 'event':
        for (const listener of this.eventListeners)
          this.safely(() => listener(message.event, message.payload), 'event listener');
        return;
      case 'fatal':
        // A fatal error (bad configuration, store locked by another engine) does not cure itself:
        // restarting in a loop would only hide it. The engine stays down until the app restarts.
        this.log.error({ pid: child.pid, message: message.message }, 'engine reported a fatal error');
        this.fatal = message.message;
        child.kill();
        return;
      default: {
        const unexpected: never = message;
        this.log.warn({ message: unexpected }, 'unexpected engine message');
      }
    }
  }

  private handleExit(code: number): void {
    const upFor = this.readyAt === null ? null : this.now() - this.readyAt;
    this.child = null;
    this.readyAt = null;
    if (this.readyTimer !== null) clearTimeout(this.readyTimer);
    this.readyTimer = null;
    this.failAll('the engine stopped');
    for (const listener of this.downListeners) this.safely(listener, 'down listener');
    if (this.currentState === 'stopping' || this.currentState === 'stopped') {
      this.log.info({ code }, 'engine stopped');
      this.finishStop();
      return;
    }
    if (this.fatal !== null) {
      this.log.error({ code, reason: this.fatal }, 'engine stopped after a fatal error; not restarting');
      this.currentState = 'stopped';
      return;
    }
    this.attempt = attemptAfterExit(this.attempt, upFor, this.policy);
    this.log.error({ code, upForMs: upFor }, 'engine exited unexpectedly');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = restartDelayMs(this.attempt, this.policy);
    this.attempt += 1;
    this.currentState = 'waiting-restart';
    this.log.warn({ delayMs: delay, attempt: this.attempt }, 'engine restart scheduled');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.launch();
    }, delay);
  }

  private finishStop(): void {
    for (const timer of this.stopTimers) clearTimeout(timer);
    this.stopTimers = [];
    this.currentState = 'stopped';
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private post(id: number, entry: Pending): void {
    try {
      if (this.child === null) throw new Error('no engine process');
      this.child.postMessage(entry.message);
      entry.posted = true;
    } catch (err: unknown) {
      this.pending.delete(id);
      clearTimeout(entry.timer);
      this.log.error(
        { err, channel: entry.channel, correlationId: entry.correlationId },
        'could not post to the engine',
      );
      entry.resolve(failure('UPSTREAM_UNAVAILABLE', 'the engine could not be reached', entry.correlationId));
    }
  }

  private failAll(message: string): void {
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.resolve(failure('UPSTREAM_UNAVAILABLE', message, entry.correlationId));
    }
  }

  private safely(fn: () => void, what: string): void {
    try {
      fn();
    } catch (err: unknown) {
      this.log.error({ err }, `${what} threw`);
    }
  }
}
