/**
 * One handler map, two transports: Electron IPC (through the utility-process host) and the
 * WebSocket server both call `dispatch`, which validates the request against the contract,
 * checks the caller's role, runs the handler and answers with an envelope. Stack traces stay in
 * the log; the caller gets a code, a message and a correlation id.
 */
import { randomUUID } from 'node:crypto';
import type { ZodError } from 'zod';
import {
  channels,
  isChannelName,
  roleAllows,
  VigieError,
  type ChannelName,
  type Envelope,
  type ErrorCode,
  type RequestOf,
  type ResponseOf,
  type Role,
} from '../../../shared/api';
import { UpstreamError } from '../ports/upstream-error';

/** What a handler knows about its caller. */
export interface CallContext {
  readonly role: Role;
  /** Which seat is calling (`desktop`, `ws#3 127.0.0.1`): recorded in the audit log. */
  readonly seat: string;
  readonly correlationId: string;
  /** Transport-specific: upgrades the seat's role when the key is right (WebSocket), or reports it (IPC). */
  signIn(key: string): Role;
}

/** A handler for every channel: a missing one is a compile error. */
export type Handlers = {
  [C in ChannelName]: (request: RequestOf<C>, ctx: CallContext) => Promise<ResponseOf<C>>;
};

export interface DispatchLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

function validationIssues(err: ZodError): { path: string; message: string }[] {
  return err.issues
    .slice(0, 20)
    .map((i) => ({ path: i.path.map(String).join('.') || '(request)', message: i.message }));
}

function upstreamCode(code: string): ErrorCode {
  if (code === 'TIMEOUT') return 'UPSTREAM_TIMEOUT';
  // CREDENTIAL: our own secret for the source is missing or unusable (nothing was sent).
  if (code === 'AUTH' || code === 'DECRYPT' || code === 'CREDENTIAL') return 'UPSTREAM_AUTH';
  return 'UPSTREAM_UNAVAILABLE';
}

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawRequest: unknown,
  ctx: Omit<CallContext, 'correlationId'>,
  logger: DispatchLogger,
): Promise<Envelope<unknown>> {
  const correlationId = randomUUID();
  const fail = (code: ErrorCode, message: string, extra?: { issues: { path: string; message: string }[] }) =>
    failure(code, message, correlationId, extra);
  if (!isChannelName(channel)) {
    logger.warn({ channel: String(channel).slice(0, 80), correlationId }, 'unknown channel');
    return fail('NOT_FOUND', `unknown channel "${String(channel).slice(0, 80)}"`);
  }
  const def = channels[channel];
  if (!roleAllows(ctx.role, def.role)) {
    return fail('FORBIDDEN', `"${channel}" needs the ${def.role} role; this seat is ${ctx.role}`);
  }
  const parsed = def.request.safeParse(rawRequest ?? {});
  if (!parsed.success) {
    return fail('VALIDATION', `invalid request for "${channel}"`, { issues: validationIssues(parsed.error) });
  }
  const handler = handlers[channel] as (req: unknown, c: CallContext) => Promise<unknown>;
  try {
    const value = await handler(parsed.data, { ...ctx, correlationId });
    return { ok: true, value };
  } catch (err: unknown) {
    if (err instanceof VigieError)
      return fail(err.code, err.message, err.issues ? { issues: err.issues.slice(0, 20) } : undefined);
    if (err instanceof UpstreamError) {
      logger.warn({ err, channel, correlationId }, 'upstream error');
      return fail(upstreamCode(err.code), `${err.source}: ${err.message}`);
    }
    logger.error({ err, channel, correlationId }, 'handler failed');
    return fail('INTERNAL', 'internal error; see the engine log for this correlation id');
  }
}

function failure(
  code: ErrorCode,
  message: string,
  correlationId: string,
  extra?: { issues: { path: string; message: string }[] },
): Envelope<never> {
  return { ok: false, error: { code, message, correlationId, ...(extra ?? {}) } };
}
