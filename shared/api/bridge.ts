/**
 * The bridge the renderer talks through. In Electron the preload exposes it as `window.vigie`;
 * in a browser seat the renderer builds the same object over a WebSocket.
 */
import type { Envelope } from './envelope';
import type { ChannelName, EventName, EventPayload, RequestIn, ResponseOf } from './contract';

export interface VigieBridge {
  invoke<C extends ChannelName>(channel: C, request: RequestIn<C>): Promise<Envelope<ResponseOf<C>>>;
  /** Subscribes to a push event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Raw shape the preload exposes (untyped at the IPC boundary; the renderer wraps it). */
export interface RawBridge {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** IPC channel names used between preload and main: one for requests, one for events. */
export const IPC_INVOKE = 'vigie:invoke';
export const IPC_EVENT = 'vigie:event';
