/** Turns error envelopes into exceptions for TanStack Query, keeping the typed code for the UI. */
import type {
  ApiError,
  ChannelName,
  ErrorCode,
  RequestIn,
  ResponseOf,
  VigieBridge,
} from '../../../../shared/api';

export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  constructor(readonly apiError: ApiError) {
    super(`${apiError.code}: ${apiError.message}`);
  }
}

/** Invokes `channel` and returns its value, or throws a BridgeError with the envelope's error. */
export async function call<C extends ChannelName>(
  bridge: VigieBridge,
  channel: C,
  request: RequestIn<C>,
): Promise<ResponseOf<C>> {
  const envelope = await bridge.invoke(channel, request);
  if (!envelope.ok) throw new BridgeError(envelope.error);
  return envelope.value;
}

/** The error code to show for anything a query or mutation threw (a non-envelope error is INTERNAL). */
export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof BridgeError ? err.apiError.code : 'INTERNAL';
}

/** The envelope error behind anything a query or mutation threw, or null for any other failure. */
export function apiErrorOf(err: unknown): ApiError | null {
  return err instanceof BridgeError ? err.apiError : null;
}

/** The correlation id an operator quotes to find the engine's log lines, when there is one. */
export function correlationIdOf(err: unknown): string | null {
  return err instanceof BridgeError ? err.apiError.correlationId : null;
}

/** Errors worth retrying automatically: the engine or a source was briefly out of reach. */
export function isTransient(err: unknown): boolean {
  const code = errorCodeOf(err);
  return code === 'UPSTREAM_UNAVAILABLE' || code === 'UPSTREAM_TIMEOUT';
}
