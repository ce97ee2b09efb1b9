/**
 * A transport is a typed `VigieBridge` plus what the console must show about the link under it:
 * whether it is connecting, live, or closed and why. Electron IPC is always "open" (the preload
 * is in-process); the WebSocket seat goes through the whole life cycle.
 */
import type { VigieBridge } from '../../../../shared/api';

export type TransportKind = 'ipc' | 'websocket';

/** Why a link is closed; only `lost` is retried. */
export type CloseReason =
  /** The seat token is missing or was refused (close code 4401): retrying cannot help. */
  | 'unauthenticated'
  /** The page's origin was refused (close code 4403): retrying cannot help. */
  | 'forbiddenOrigin'
  /** The link dropped; a reconnect is scheduled at `retryAt`. */
  | 'lost'
  /** The transport was disposed by its owner. */
  | 'disposed';

export type ConnectionState =
  | { readonly kind: 'connecting'; readonly attempt: number }
  /** Live. Who is signed in is the session's business (lib/session), not the link's. */
  | { readonly kind: 'open' }
  | {
      readonly kind: 'closed';
      readonly reason: CloseReason;
      /** Epoch ms of the next attempt when `reason` is `lost`, otherwise null. */
      readonly retryAt: number | null;
      /** The WebSocket close code, when there was one. */
      readonly code: number | null;
    };

export interface Transport {
  readonly kind: TransportKind;
  readonly bridge: VigieBridge;
  /** The current state; the same object until it changes (usable with useSyncExternalStore). */
  readonly getState: () => ConnectionState;
  /** Calls `listener` after every state change; returns the function that unsubscribes. */
  readonly subscribe: (listener: () => void) => () => void;
  /** Skips the back-off wait after a lost link. No effect in other states. */
  readonly reconnectNow: () => void;
  /** Closes the link, fails pending requests and stops every timer. */
  readonly dispose: () => void;
}

/** Where the transports report what they dropped (bad JSON, payloads that fail the contract). */
export type DiagnosticSink = (message: string, detail?: unknown) => void;

export const consoleDiagnostics: DiagnosticSink = (message, detail) => {
  console.warn(`[vigie transport] ${message}`, detail);
};
