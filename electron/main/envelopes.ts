/** Envelopes the shell itself answers with (sender refused, engine down or slow, bad reply). */
import { randomUUID } from 'node:crypto';
import { ERROR_CODES, type Envelope, type ErrorCode } from '../../shared/api/envelope';

export function newCorrelationId(): string {
  return randomUUID();
}

export function failure(
  code: ErrorCode,
  message: string,
  correlationId: string = newCorrelationId(),
): Envelope<never> {
  return { ok: false, error: { code, message, correlationId } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const errorCodes: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * Checks the shape of an envelope coming back from the engine before it goes to the page: a
 * malformed reply (a bug in the engine host) becomes INTERNAL rather than confusing the UI.
 */
export function asEnvelope(value: unknown, correlationId: string): Envelope<unknown> {
  if (isRecord(value)) {
    if (value['ok'] === true && 'value' in value) return { ok: true, value: value['value'] };
    const error = value['error'];
    if (
      value['ok'] === false &&
      isRecord(error) &&
      typeof error['code'] === 'string' &&
      errorCodes.has(error['code']) &&
      typeof error['message'] === 'string' &&
      typeof error['correlationId'] === 'string'
    ) {
      return value as Envelope<unknown>;
    }
  }
  return failure('INTERNAL', 'the engine sent a malformed answer', correlationId);
}
