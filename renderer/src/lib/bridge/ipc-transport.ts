/**
 * The Electron seat: the preload exposes an untyped `RawBridge` as `window.vigie`; this wraps it
 * into a typed `VigieBridge` that validates every envelope and event payload.
 */
import type {
  ChannelName,
  EventName,
  EventPayload,
  RawBridge,
  RequestIn,
  VigieBridge,
} from '../../../../shared/api';
import { checkEnvelope, checkEventPayload, localFailure } from './envelope-validation';
import { consoleDiagnostics, type ConnectionState, type DiagnosticSink, type Transport } from './transport';

/** Whether `candidate` has the shape the preload exposes. */
export function isRawBridge(candidate: unknown): candidate is RawBridge {
  if (typeof candidate !== 'object' || candidate === null) return false;
  const record = candidate as Record<string, unknown>;
  return typeof record['invoke'] === 'function' && typeof record['on'] === 'function';
}

const OPEN: ConnectionState = { kind: 'open' };
const DISPOSED: ConnectionState = { kind: 'closed', reason: 'disposed', retryAt: null, code: null };

export function createIpcTransport(
  raw: RawBridge,
  diagnostics: DiagnosticSink = consoleDiagnostics,
): Transport {
  let state: ConnectionState = OPEN;
  const listeners = new Set<() => void>();
  const unsubscribers = new Set<() => void>();

  const bridge: VigieBridge = {
    async invoke<C extends ChannelName>(channel: C, request: RequestIn<C>) {
      if (state.kind !== 'open') return localFailure('UPSTREAM_UNAVAILABLE', 'the console is shutting down');
      let reply: unknown;
      try {
        reply = await raw.invoke(channel, request);
      } catch (err: unknown) {
        diagnostics(`IPC invoke "${channel}" failed`, err);
        return localFailure('UPSTREAM_UNAVAILABLE', `the engine did not answer "${channel}"`);
      }
      const checked = checkEnvelope(channel, reply);
      if (!checked.valid) diagnostics(`reply to "${channel}" breaks the contract`, checked.issues);
      return checked.envelope;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const off = raw.on(event, (payload: unknown) => {
        const checked = checkEventPayload(event, payload);
        if (!checked.valid) {
          diagnostics(`event "${event}" dropped: payload breaks the contract`, checked.issues);
          return;
        }
        try {
          listener(checked.payload);
        } catch (err: unknown) {
          diagnostics(`a listener of "${event}" threw`, err);
        }
      });
      unsubscribers.add(off);
      return () => {
        unsubscribers.delete(off);
        off();
      };
    },
  };

  return {
    kind: 'ipc',
    bridge,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reconnectNow() {
      // IPC has no link to re-establish.
    },
    dispose() {
      if (state.kind === 'closed') return;
      state = DISPOSED;
      for (const off of unsubscribers) off();
      unsubscribers.clear();
      for (const listener of listeners) listener();
    },
  };
}
