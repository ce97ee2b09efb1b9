/** The answer to every request on every transport: a value, or a typed error. */
import { z } from 'zod';

export const ERROR_CODES = [
  'VALIDATION',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'CONFLICT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_AUTH',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why a seat is UNAUTHENTICATED (or a sign-in refused), for the console to show the right
 * screen: the password form, the TOTP field, the lock screen, "signed out: session expired".
 */
export const AUTH_REASONS = [
  'SIGN_IN_REQUIRED',
  'BAD_CREDENTIALS',
  'TOTP_REQUIRED',
  'BAD_TOTP',
  'LOCKED_OUT',
  'DISABLED',
  'SESSION_EXPIRED',
  'SEAT_LOCKED',
] as const;
export type AuthReason = (typeof AUTH_REASONS)[number];

export const apiErrorSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  /** For people; never a stack trace (those stay in the engine's log). */
  message: z.string(),
  /** Quoted by the operator to find the matching log lines. */
  correlationId: z.string(),
  /** For VALIDATION: where the request was wrong. */
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  /** For UNAUTHENTICATED: why. */
  reason: z.enum(AUTH_REASONS).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown by handlers for errors a person can act on; anything else becomes INTERNAL. */
export class VigieError extends Error {
  override readonly name = 'VigieError';
  /** For VALIDATION: which fields of the request were wrong (passed on in the envelope). */
  readonly issues: { path: string; message: string }[] | undefined;
  readonly reason: AuthReason | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; issues?: { path: string; message: string }[]; reason?: AuthReason },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.issues = options?.issues;
    this.reason = options?.reason;
  }
}
