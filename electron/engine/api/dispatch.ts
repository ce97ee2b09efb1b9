/**
 * One handler map, two transports: Electron IPC (through the utility-process host) and the
 * WebSocket server both call `dispatch`, which resolves who is calling (the seat's session, on
 * every request, so an expired, locked or withdrawn session stops at once), checks that the
 * channel's capability is theirs, validates the request against the contract, runs the handler
 * and answers with an envelope. Stack traces stay in the log; the caller gets a code, a message
 * and a correlation id.
 */
import { randomUUID } from 'node:crypto';
import type { ZodError } from 'zod';
import {
  accessAllows,
  channels,
  isChannelName,
  VigieError,
  type ChannelName,
  type Envelope,
  type AuthReason,
  type ErrorCode,
  type RequestOf,
  type ResponseOf,
} from '../../../shared/api';
import type { Principal, SeatSession } from '../ports/principal';
import { UpstreamError } from '../ports/upstream-error';

/** What a handler knows about its caller. */
export interface CallContext {
  /** Who is calling, resolved from the seat's session for this request. */
  readonly principal: Principal;
  /** Which seat is calling (`desktop`, `ws#3 127.0.0.1`). */
  readonly seat: string;
  /** Who acted, for the audit log and histories: `login @ seat`, or the seat when anonymous. */
  readonly actor: string;
  /** The caller's roles as text (`operator`, `oncall+admin`, `anonymous`), for the audit log. */
  readonly role: string;
  readonly correlationId: string;
  /** The connection's session, which the session handlers set and clear. */
  readonly session: SeatSession;
}

/** The calling seat; `onPrincipal` learns who it turned out to be (null: nobody usable). */
export interface DispatchSeat {
  readonly name: string;
  readonly session: SeatSession;
  onPrincipal?(principal: Principal | null): void;
}

/** Resolves the principal behind a seat's session, or says why it cannot act. */
export type Authenticate = (
  session: SeatSession,
) => Promise<
  { ok: true; principal: Principal } | { ok: false; code: ErrorCode; reason: AuthReason; message: string }
>;

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
  seat: DispatchSeat,
  authenticate: Authenticate,
  logger: DispatchLogger,
): Promise<Envelope<unknown>> {
  const correlationId = randomUUID();
  const fail = (code: ErrorCode, message: string, extra?: ErrorExtra) =>
    failure(code, message, correlationId, extra);
  if (!isChannelName(channel)) {
    const name = channelText(channel);
    logger.warn({ channel: name, correlationId }, 'unknown channel');
    return fail('NOT_FOUND', `unknown channel "${name}"`);
  }
  const def = channels[channel];
  let principal: Principal;
  try {
    const who = await authenticate(seat.session);
    seat.onPrincipal?.(who.ok ? who.principal : null);
    if (!who.ok) {
      if (def.access !== 'public') return fail(who.code, who.message, { reason: who.reason });
      principal = ANONYMOUS_NOTHING;
    } else principal = who.principal;
  } catch (err: unknown) {
    logger.error({ err, channel, correlationId }, 'session check failed');
    return fail('INTERNAL', 'internal error; see the engine log for this correlation id');
  }
  if (!accessAllows(principal.capabilities, def.access)) {
    return principal.person === null
      ? fail('UNAUTHENTICATED', `sign in to use "${channel}"`, { reason: 'SIGN_IN_REQUIRED' })
      : fail(
          'FORBIDDEN',
          `"${channel}" needs the ${def.access} permission, which ${principal.person.id} does not hold`,
        );
  }
  const parsed = def.request.safeParse(rawRequest ?? {});
  if (!parsed.success) {
    return fail('VALIDATION', `invalid request for "${channel}"`, { issues: validationIssues(parsed.error) });
  }
  const handler = handlers[channel] as (req: unknown, c: CallContext) => Promise<unknown>;
  try {
    const ctx: CallContext = {
      principal,
      seat: seat.name,
      actor: principal.person === null ? seat.name : `${principal.person.id} @ ${seat.name}`,
      role: principal.person === null ? 'anonymous' : principal.person.roles.join('+'),
      correlationId,
      session: seat.session,
    };
    const value = await handler(parsed.data, ctx);
    // Signing in, out, locking: who the seat is changed, and with it what it may receive.
    if (channel.startsWith('session.') && seat.onPrincipal) {
      const now = await authenticate(seat.session);
      seat.onPrincipal(now.ok ? now.principal : null);
    }
    return { ok: true, value };
  } catch (err: unknown) {
    if (err instanceof VigieError)
      return fail(err.code, err.message, {
        ...(err.issues ? { issues: err.issues.slice(0, 20) } : {}),
        ...(err.reason ? { reason: err.reason } : {}),
      });
    if (err instanceof UpstreamError) {
      logger.warn({ err, channel, correlationId }, 'upstream error');
      return fail(upstreamCode(err.code), `${err.source}: ${err.message}`);
    }
    logger.error({ err, channel, correlationId }, 'handler failed');
    return fail('INTERNAL', 'internal error; see the engine log for this correlation id');
  }
}

/**
 * An unknown channel as text for the log and the message. Not `String(channel)`: that throws for
 * an object without a usable toString (`{ toString: 1 }`, a null-prototype object), and the
 * dispatcher must answer NOT_FOUND, not reject.
 */
function channelText(channel: unknown): string {
  return typeof channel === 'string' ? channel.slice(0, 80) : `(${typeof channel})`;
}

/** Who calls a public channel when the seat's session could not be used (expired, locked). */
const ANONYMOUS_NOTHING: Principal = { person: null, capabilities: [], clients: [] };

interface ErrorExtra {
  readonly issues?: { path: string; message: string }[];
  readonly reason?: AuthReason;
}

function failure(
  code: ErrorCode,
  message: string,
  correlationId: string,
  extra?: ErrorExtra,
): Envelope<never> {
  return { ok: false, error: { code, message, correlationId, ...(extra ?? {}) } };
}
