/**
 * Sessions on the engine's seats (issue 6): the `session.*` handlers and the `authenticate`
 * function every request of both transports goes through. A seat holds at most one session
 * token; it is resolved on each request, so expiry, locking, disabling a person or signing out
 * takes effect on the next request, whichever transport the seat uses.
 *
 * Besides people, one machine principal: the command line on the engine's own machine, which
 * proves itself with the key in the engine's runtime file (readable by the service account
 * only). It acts as an operator and an administrator (it could read the engine's files anyway)
 * and is recorded as `command-line`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  capabilitiesOf,
  VigieError,
  type Capability,
  type PersonSummary,
  type SessionInfo,
  type SignInResult,
} from '../../shared/api';
import { ALL_CLIENTS, type Person } from '../../shared/domain/identity';
import type { Authenticate, CallContext, Handlers } from './api/dispatch';
import type { VigieConfig } from './config/schema';
import type { AuditLog } from './ports/audit-log';
import type { Clock } from './ports/clock';
import { SignInError, type IdentityPort, type TokenCheck } from './ports/identity';
import type { Principal, SeatSession } from './ports/principal';

export type SessionChannel =
  | 'session.signIn'
  | 'session.resume'
  | 'session.status'
  | 'session.signOut'
  | 'session.lock'
  | 'session.unlock'
  | 'session.oidcStart'
  | 'session.oidcFinish'
  | 'session.changePassword'
  | 'session.totpBegin'
  | 'session.totpConfirm';

/** Single sign-on, when configured: starts a browser flow and waits for its outcome. */
export interface OidcSignIn {
  start(): Promise<{ flowId: string; url: string }>;
  /** Resolves with the person once the provider redirected back and the ID token checked out. */
  finish(flowId: string): Promise<Person>;
}

export interface SessionsDeps {
  readonly identity: IdentityPort | null;
  readonly oidc: OidcSignIn | null;
  readonly access: VigieConfig['access'];
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export interface Sessions {
  readonly handlers: Pick<Handlers, SessionChannel>;
  readonly authenticate: Authenticate;
  /** Lets the command line of this machine in with `key` (the server's runtime file holds it). */
  allowMachineKey(key: string): void;
}

const MACHINE_PREFIX = 'machine.';
const MACHINE_SESSION_MS = 12 * 3600_000;
const MACHINE_PERSON: PersonSummary = {
  id: 'command-line',
  displayName: 'Command line on the engine host',
  // The service account can read the engine's files anyway: the audit trail, accounts, vault.
  roles: ['operator', 'admin'],
  clients: [ALL_CLIENTS],
  source: 'machine',
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function summary(person: Person): PersonSummary {
  return {
    id: person.id,
    displayName: person.displayName,
    roles: [...person.roles],
    clients: [...person.clients],
    source: person.source,
  };
}

export function setupSessions(deps: SessionsDeps): Sessions {
  const { identity, oidc, access, audit, clock } = deps;
  const machineKeys: Buffer[] = [];
  /** Machine sessions by token hash: their expiry. */
  const machineSessions = new Map<string, number>();

  const anonymous: Principal = access.anonymousViewing
    ? { person: null, capabilities: ['view', 'view.infrastructure'], clients: [ALL_CLIENTS] }
    : { person: null, capabilities: [], clients: [] };

  const methods = { password: identity !== null, oidc: oidc !== null };

  const machineCheck = (token: string): TokenCheck | null => {
    if (!token.startsWith(MACHINE_PREFIX)) return null;
    const key = digest(token).toString('hex');
    const until = machineSessions.get(key);
    if (until === undefined) return { state: 'unknown' };
    if (until <= clock.now()) {
      machineSessions.delete(key);
      return { state: 'expired' };
    }
    return null;
  };

  async function check(token: string): Promise<TokenCheck | 'machine'> {
    const machine = machineCheck(token);
    if (machine !== null) return machine;
    if (token.startsWith(MACHINE_PREFIX)) return 'machine';
    if (identity === null) return { state: 'unknown' };
    return identity.check(token);
  }

  const info = (
    state: SessionInfo['state'],
    person: PersonSummary | null,
    capabilities: readonly Capability[],
    expiresAt: number | null,
    idleExpiresAt: number | null,
  ): SessionInfo => ({
    state,
    person,
    capabilities: [...capabilities],
    expiresAt,
    idleExpiresAt,
    anonymousViewing: access.anonymousViewing,
    methods,
  });

  const anonymousInfo = (): SessionInfo => info('anonymous', null, anonymous.capabilities, null, null);

  async function describe(session: SeatSession): Promise<SessionInfo> {
    const token = session.token;
    if (token === null) return anonymousInfo();
    const checked = await check(token);
    if (checked === 'machine')
      return info(
        'signed-in',
        MACHINE_PERSON,
        capabilitiesOf(MACHINE_PERSON.roles, MACHINE_PERSON.clients),
        null,
        null,
      );
    if (checked.state === 'active')
      return info(
        'signed-in',
        summary(checked.person),
        capabilitiesOf(checked.person.roles, checked.person.clients),
        checked.expiresAt,
        checked.idleExpiresAt,
      );
    if (checked.state === 'locked')
      return info('locked', summary(checked.person), [], checked.expiresAt, checked.idleExpiresAt);
    session.token = null;
    return anonymousInfo();
  }

  const authenticate: Authenticate = async (session) => {
    const token = session.token;
    if (token === null) return { ok: true, principal: anonymous };
    const checked = await check(token);
    if (checked === 'machine')
      return {
        ok: true,
        principal: {
          person: MACHINE_PERSON,
          capabilities: capabilitiesOf(MACHINE_PERSON.roles, MACHINE_PERSON.clients),
          clients: MACHINE_PERSON.clients,
        },
      };
    if (checked.state === 'active')
      return {
        ok: true,
        principal: {
          person: summary(checked.person),
          capabilities: capabilitiesOf(checked.person.roles, checked.person.clients),
          clients: checked.person.clients,
        },
      };
    if (checked.state === 'locked')
      return {
        ok: false,
        code: 'UNAUTHENTICATED',
        reason: 'SEAT_LOCKED',
        message: `this seat is locked; ${checked.person.displayName} unlocks it with their password`,
      };
    // Expired, signed out elsewhere, or the person was disabled: the seat is anonymous again,
    // and this request says why rather than quietly showing less.
    session.token = null;
    return {
      ok: false,
      code: 'UNAUTHENTICATED',
      reason: 'SESSION_EXPIRED',
      message: 'the session has ended; sign in again',
    };
  };

  const refusal = (err: unknown): never => {
    if (err instanceof SignInError)
      throw new VigieError('UNAUTHENTICATED', err.message, { reason: err.code });
    throw err;
  };

  async function endCurrent(session: SeatSession): Promise<void> {
    const token = session.token;
    session.token = null;
    if (token === null) return;
    if (token.startsWith(MACHINE_PREFIX)) machineSessions.delete(digest(token).toString('hex'));
    else if (identity !== null) await identity.signOut(token);
  }

  async function signedIn(session: SeatSession, token: string): Promise<SignInResult> {
    session.token = token;
    return { session: await describe(session), resumeToken: token };
  }

  async function signInWithKey(key: string, ctx: CallContext): Promise<SignInResult> {
    const given = digest(key);
    if (!machineKeys.some((k) => timingSafeEqual(k, given)))
      throw new VigieError('UNAUTHENTICATED', 'wrong engine key', { reason: 'BAD_CREDENTIALS' });
    await endCurrent(ctx.session);
    const token = MACHINE_PREFIX + randomBytes(32).toString('base64url');
    machineSessions.set(digest(token).toString('hex'), clock.now() + MACHINE_SESSION_MS);
    await audit.append({
      at: clock.now(),
      actor: `${MACHINE_PERSON.id} @ ${ctx.seat}`,
      role: MACHINE_PERSON.roles.join('+'),
      action: 'session.signIn',
      target: MACHINE_PERSON.id,
      details: { method: 'key' },
    });
    return signedIn(ctx.session, token);
  }

  const needPerson = async (session: SeatSession): Promise<string> => {
    const token = session.token;
    if (token === null || token.startsWith(MACHINE_PREFIX) || identity === null)
      throw new VigieError('CONFLICT', 'nobody is signed in on this seat');
    const checked = await identity.check(token);
    if (checked.state !== 'active' && checked.state !== 'locked') {
      session.token = null;
      throw new VigieError('UNAUTHENTICATED', 'the session has ended; sign in again', {
        reason: 'SESSION_EXPIRED',
      });
    }
    return token;
  };

  const handlers: Pick<Handlers, SessionChannel> = {
    'session.signIn': async (req, ctx) => {
      if (req.method === 'key') return signInWithKey(req.key, ctx);
      if (identity === null)
        throw new VigieError('CONFLICT', 'password sign-in is not available on this engine');
      const done = await identity.signIn(req, ctx.seat).catch(refusal);
      await endCurrent(ctx.session);
      return signedIn(ctx.session, done.token);
    },
    'session.resume': async (req, ctx) => {
      const checked = await check(req.token);
      if (checked !== 'machine' && checked.state !== 'active' && checked.state !== 'locked')
        throw new VigieError('UNAUTHENTICATED', 'the session has ended; sign in again', {
          reason: 'SESSION_EXPIRED',
        });
      ctx.session.token = req.token;
      return describe(ctx.session);
    },
    'session.status': (_req, ctx) => describe(ctx.session),
    'session.signOut': async (_req, ctx) => {
      await endCurrent(ctx.session);
      return describe(ctx.session);
    },
    'session.lock': async (_req, ctx) => {
      const token = await needPerson(ctx.session);
      await identity?.lock(token);
      return describe(ctx.session);
    },
    'session.unlock': async (req, ctx) => {
      const token = await needPerson(ctx.session);
      await identity?.unlock(token, req).catch(refusal);
      return describe(ctx.session);
    },
    'session.changePassword': async (req, ctx) => {
      const token = await needPerson(ctx.session);
      await identity?.changePassword(token, req.current, req.next).catch(refusal);
      return describe(ctx.session);
    },
    'session.totpBegin': async (_req, ctx) => {
      const token = await needPerson(ctx.session);
      if (identity === null) throw new VigieError('CONFLICT', 'nobody is signed in on this seat');
      return identity.beginTotp(token);
    },
    'session.totpConfirm': async (req, ctx) => {
      const token = await needPerson(ctx.session);
      await identity?.confirmTotp(token, req.code).catch(refusal);
      return describe(ctx.session);
    },
    'session.oidcStart': async () => {
      if (oidc === null) throw new VigieError('CONFLICT', 'single sign-on is not configured on this engine');
      return oidc.start();
    },
    'session.oidcFinish': async (req, ctx) => {
      if (oidc === null || identity === null)
        throw new VigieError('CONFLICT', 'single sign-on is not configured on this engine');
      const person = await oidc.finish(req.flowId);
      const done = await identity.openSession(person, ctx.seat).catch(refusal);
      await endCurrent(ctx.session);
      return signedIn(ctx.session, done.token);
    },
  };

  return {
    handlers,
    authenticate,
    allowMachineKey(key: string) {
      machineKeys.push(digest(key));
    },
  };
}
