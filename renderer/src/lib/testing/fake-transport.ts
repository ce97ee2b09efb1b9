/**
 * An in-memory transport for renderer tests: canned handlers per channel, events emitted by hand.
 * Unless a test says otherwise, `session.status` answers a signed-in operator (fixtureSession),
 * so panels behave as for a person allowed to act; tests about access give their own session.
 */
import type {
  ApiError,
  AuthReason,
  ChannelName,
  Envelope,
  ErrorCode,
  EventName,
  EventPayload,
  RequestIn,
  ResponseOf,
  VigieBridge,
} from '../../../../shared/api';
import type { ConnectionState, Transport } from '../bridge/transport';
import { fixtureSession } from './fixtures';

export type FakeHandlers = {
  [C in ChannelName]?: (request: RequestIn<C>) => Envelope<ResponseOf<C>> | Promise<Envelope<ResponseOf<C>>>;
};

export interface FakeTransport extends Transport {
  readonly calls: { channel: ChannelName; request: unknown }[];
  callsTo(channel: ChannelName): unknown[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  setState(state: ConnectionState): void;
}

export const OPEN_STATE: ConnectionState = { kind: 'open' };

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function failure(
  code: ErrorCode,
  message = 'refused by the fake engine',
  correlationId = 'corr-test-1',
  reason?: AuthReason,
): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message, correlationId, ...(reason ? { reason } : {}) } };
}

/** An UNAUTHENTICATED answer with its reason, as the engine gives it. */
export function refusal(
  reason: AuthReason,
  message = 'refused by the fake engine',
): { ok: false; error: ApiError } {
  return failure('UNAUTHENTICATED', message, 'corr-test-auth', reason);
}

const DEFAULT_HANDLERS: FakeHandlers = {
  'session.status': () => ok(fixtureSession()),
};

export function createFakeTransport(
  handlers: FakeHandlers,
  initial: ConnectionState = OPEN_STATE,
): FakeTransport {
  let state = initial;
  const stateListeners = new Set<() => void>();
  const eventListeners = new Map<EventName, Set<(payload: never) => void>>();
  const calls: { channel: ChannelName; request: unknown }[] = [];

  const bridge: VigieBridge = {
    async invoke<C extends ChannelName>(channel: C, request: RequestIn<C>): Promise<Envelope<ResponseOf<C>>> {
      calls.push({ channel, request });
      const handler = (handlers[channel] ?? DEFAULT_HANDLERS[channel]) as
        ((r: RequestIn<C>) => Envelope<ResponseOf<C>> | Promise<Envelope<ResponseOf<C>>>) | undefined;
      if (!handler) return failure('NOT_FOUND', `no fake handler for ${channel}`);
      return handler(request);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = eventListeners.get(event) ?? new Set();
      set.add(listener);
      eventListeners.set(event, set);
      return () => {
        set.delete(listener);
      };
    },
  };

  return {
    kind: 'websocket',
    bridge,
    calls,
    callsTo: (channel) => calls.filter((call) => call.channel === channel).map((call) => call.request),
    getState: () => state,
    subscribe(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    reconnectNow: () => undefined,
    dispose: () => undefined,
    emit(event, payload) {
      for (const listener of [...(eventListeners.get(event) ?? [])])
        (listener as (p: typeof payload) => void)(payload);
    },
    setState(next) {
      state = next;
      for (const listener of [...stateListeners]) listener();
    },
  };
}
