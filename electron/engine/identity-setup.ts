/**
 * Identities in the engine (issue 6): the account store (`identity.duckdb` in the data root),
 * the identity service behind the seats' sessions, OpenID Connect single sign-on when
 * configured, and the training estate's demo users. What the transports see is the
 * IdentityPort (ports/identity.ts) and the OIDC flow of session-setup.ts.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Person } from '../../shared/domain/identity';
import { VigieError } from '../../shared/api';
import { DuckDbAccountStore } from './adapters/duckdb/duckdb-account-store';
import { OidcClient, type PendingSignIn } from './adapters/oidc/oidc-client';
import type { OidcConfig } from './adapters/oidc/oidc-config';
import { OidcError } from './adapters/oidc/oidc-error';
import type { VigieConfig } from './config/schema';
import { seedDemoUsers } from './estate/demo-users';
import type { AuditLog } from './ports/audit-log';
import type { Clock } from './ports/clock';
import { SignInError, type IdentityPort, type SignedIn, type TokenCheck } from './ports/identity';
import type { Logger } from './ports/logger';
import type { OidcSignIn } from './session-setup';
import { IdentityError, IdentityService, type SignInResult } from './services/identity/identity-service';

export interface IdentitySetupOptions {
  readonly access: VigieConfig['access'];
  readonly oidc: OidcConfig | undefined;
  readonly dataRoot: string;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly training: boolean;
  readonly resolveSecret: (ref: string) => Promise<string>;
}

export interface IdentitySetup {
  readonly port: IdentityPort;
  readonly oidc: OidcSignIn | null;
  readonly service: IdentityService;
  close(): Promise<void>;
}

const REFUSALS = new Set(['BAD_CREDENTIALS', 'TOTP_REQUIRED', 'BAD_TOTP', 'LOCKED_OUT', 'DISABLED'] as const);
type Refusal = typeof REFUSALS extends Set<infer T> ? T : never;

/** An identity refusal as the transports' SignInError; anything else unchanged. */
function asSignInError(err: unknown): unknown {
  if (err instanceof IdentityError && REFUSALS.has(err.code as Refusal))
    return new SignInError(err.code as Refusal, err.message);
  return err;
}

function signedIn(result: SignInResult): SignedIn {
  return {
    token: result.token,
    person: result.person,
    expiresAt: result.session.expiresAt,
    idleExpiresAt: result.session.idleExpiresAt,
  };
}

/** How often ended sessions are forgotten. */
const PURGE_EVERY_MS = 10 * 60_000;
/** A single sign-on flow nobody finishes is dropped after this long. */
const OIDC_FLOW_MS = 10 * 60_000;

export async function setUpIdentity(options: IdentitySetupOptions): Promise<IdentitySetup> {
  const { access, clock, logger } = options;
  const store = await DuckDbAccountStore.open(join(options.dataRoot, 'identity.duckdb'));
  const service = new IdentityService({
    store,
    audit: options.audit,
    clock,
    sessions: { absoluteMs: access.sessionHours * 3600_000, idleMs: access.idleMinutes * 60_000 },
  });
  try {
    if (options.training) {
      const created = await seedDemoUsers(service);
      if (created.length > 0) logger.info({ created }, 'training estate: demo users created');
    }
  } catch (err: unknown) {
    await store.close();
    throw err;
  }

  let stopPurge: (() => void) | null = null;
  const purge = (): void => {
    service.purgeExpiredSessions().then(
      () => undefined,
      (err: unknown) => logger.warn({ err }, 'could not forget ended sessions'),
    );
    stopPurge = clock.setTimeout(purge, PURGE_EVERY_MS);
  };
  stopPurge = clock.setTimeout(purge, PURGE_EVERY_MS);

  /** The person of an active session (self-service needs one). */
  async function personOf(token: string): Promise<Person> {
    const r = await service.resolve(token);
    if (!r.ok)
      throw new VigieError('UNAUTHENTICATED', 'the session has ended; sign in again', {
        reason: 'SESSION_EXPIRED',
      });
    return r.person;
  }

  /** A person the provider vouched for: their account mirrors the provider's say. */
  async function oidcAccount(person: Person): Promise<void> {
    const actor = { kind: 'system', name: 'oidc' } as const;
    const existing = await service.getPerson(person.id);
    if (existing === null) {
      await service.createPerson(actor, {
        id: person.id,
        displayName: person.displayName,
        roles: person.roles,
        clients: person.clients,
        source: 'oidc',
      });
      return;
    }
    // A local account is never taken over by a provider's login of the same name.
    if (existing.source !== 'oidc')
      throw new SignInError(
        'BAD_CREDENTIALS',
        `"${person.id}" is a local account: sign in with its password`,
      );
    if (existing.disabled)
      throw new SignInError('DISABLED', 'this account is disabled; ask an administrator');
    if (existing.roles.join(',') !== person.roles.join(','))
      await service.setRoles(actor, person.id, person.roles);
    if (existing.clients.join(',') !== person.clients.join(','))
      await service.setClients(actor, person.id, person.clients);
  }

  const port: IdentityPort = {
    signIn: async (credentials) =>
      signedIn(
        await service
          .signIn({
            login: credentials.login,
            password: credentials.password,
            ...(credentials.totp === undefined ? {} : { totp: credentials.totp }),
          })
          .catch((err: unknown) => {
            throw asSignInError(err);
          }),
      ),
    openSession: async (person) => {
      await oidcAccount(person).catch((err: unknown) => {
        throw asSignInError(err);
      });
      const fresh = await service.getPerson(person.id);
      if (fresh === null) throw new SignInError('BAD_CREDENTIALS', 'the account could not be opened');
      const { token, session } = await service.sessions.create(person.id);
      return { token, person: fresh, expiresAt: session.expiresAt, idleExpiresAt: session.idleExpiresAt };
    },
    check: async (token): Promise<TokenCheck> => {
      const r = await service.resolve(token);
      if (r.ok)
        return {
          state: 'active',
          person: r.person,
          expiresAt: r.session.expiresAt,
          idleExpiresAt: r.session.idleExpiresAt,
        };
      if (r.reason === 'LOCKED')
        return {
          state: 'locked',
          person: r.person,
          expiresAt: r.session.expiresAt,
          idleExpiresAt: r.session.idleExpiresAt,
        };
      return { state: r.reason === 'EXPIRED' ? 'expired' : 'unknown' };
    },
    lock: async (token) => {
      await service.lock(token);
    },
    unlock: async (token, proof) => {
      await service
        .unlock(token, {
          password: proof.password,
          ...(proof.totp === undefined ? {} : { totp: proof.totp }),
        })
        .catch((err: unknown) => {
          throw asSignInError(err);
        });
    },
    signOut: (token) => service.signOut(token),
    changePassword: async (token, current, next) => {
      const person = await personOf(token);
      await service.changeOwnPassword(person.id, current, next).catch((err: unknown) => {
        throw selfServiceError(err);
      });
    },
    beginTotp: async (token) => {
      const person = await personOf(token);
      return service.beginTotp({ kind: 'person', person }, person.id).catch((err: unknown) => {
        throw selfServiceError(err);
      });
    },
    confirmTotp: async (token, code) => {
      const person = await personOf(token);
      await service.confirmTotp({ kind: 'person', person }, person.id, code).catch((err: unknown) => {
        throw selfServiceError(err);
      });
    },
  };

  let oidc: OidcSignIn | null = null;
  if (options.oidc) {
    const client = new OidcClient(options.oidc, {
      resolveSecret: options.resolveSecret,
      logger: logger.child({ module: 'oidc' }),
      now: () => clock.now(),
    });
    const flows = new Map<string, { pending: PendingSignIn; dropTimer: () => void }>();
    oidc = {
      async start() {
        const pending = await client.startSignIn().catch((err: unknown) => {
          throw oidcFailure(err);
        });
        const flowId = randomUUID();
        const dropTimer = clock.setTimeout(() => {
          pending.cancel();
          flows.delete(flowId);
        }, OIDC_FLOW_MS);
        flows.set(flowId, { pending, dropTimer });
        return { flowId, url: pending.authorizationUrl };
      },
      async finish(flowId) {
        const flow = flows.get(flowId);
        if (!flow) throw new VigieError('NOT_FOUND', 'no single sign-on under way with this id; start again');
        // The console asks again with the same id when its request timed out while the person
        // was still at the provider: the flow stays until it is dropped, so asking twice gets
        // the same person rather than NOT_FOUND.
        try {
          const result = await flow.pending.result;
          return result.person;
        } catch (err: unknown) {
          flow.dropTimer();
          flows.delete(flowId);
          throw oidcFailure(err);
        }
      },
    };
  }

  return {
    port,
    oidc,
    service,
    async close() {
      stopPurge?.();
      await store.close();
    },
  };
}

/** A self-service refusal: a wrong current password or code as the seat's refusal, a weak new one named. */
function selfServiceError(err: unknown): unknown {
  if (!(err instanceof IdentityError)) return err;
  if (err.code === 'WEAK_PASSWORD' || err.code === 'VALIDATION')
    return new VigieError('VALIDATION', err.message, {
      issues: [{ path: err.code === 'WEAK_PASSWORD' ? 'next' : '(request)', message: err.message }],
    });
  if (err.code === 'CONFLICT') return new VigieError('CONFLICT', err.message);
  return asSignInError(err);
}

/** A provider's refusal or a broken flow, as a person can act on it. */
function oidcFailure(err: unknown): unknown {
  if (!(err instanceof OidcError)) return err;
  if (err.code === 'NO_ROLE' || err.code === 'NO_CLIENT' || err.code === 'DENIED')
    return new VigieError('FORBIDDEN', err.message, { reason: 'BAD_CREDENTIALS' });
  if (err.code === 'TIMEOUT' || err.code === 'ABORTED')
    return new VigieError('UNAUTHENTICATED', err.message, { reason: 'SIGN_IN_REQUIRED' });
  return new VigieError('UPSTREAM_UNAVAILABLE', err.message);
}
