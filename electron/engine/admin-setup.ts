/**
 * The administrators' channels (issue 6): accounts (`users.*`) through the identity service,
 * which audits every change before it is made and keeps an administrator within their own
 * client scope, and the secret vault (`secrets.*`), whose values go in and never come out.
 * Listing the vault is itself audited: it says which credentials exist and where they are used.
 */
import { VigieError, type Account, type ErrorCode } from '../../shared/api';
import type { Person } from '../../shared/domain/identity';
import type { CallContext, Handlers } from './api/dispatch';
import type { AuditLog } from './ports/audit-log';
import type { Clock } from './ports/clock';
import type { SecretStore } from './ports/secret-store';
import {
  IdentityError,
  type AccountSummary,
  type Actor,
  type IdentityService,
} from './services/identity/identity-service';
import { SecretsService, type VaultReference } from './services/secrets/secrets-service';

export type AdminChannel =
  | 'users.list'
  | 'users.create'
  | 'users.update'
  | 'users.setPassword'
  | 'users.removeTotp'
  | 'secrets.list'
  | 'secrets.set'
  | 'secrets.delete';

export interface AdminDeps {
  readonly identity: IdentityService;
  readonly vault: SecretStore | null;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly references: () => readonly VaultReference[];
}

const IDENTITY_CODES: Partial<Record<string, ErrorCode>> = {
  VALIDATION: 'VALIDATION',
  WEAK_PASSWORD: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
};

/** An identity refusal as the contract's error (a weak password names the field). */
function contractError(err: unknown): never {
  if (err instanceof IdentityError) {
    const code = IDENTITY_CODES[err.code];
    if (code)
      throw new VigieError(code, err.message, {
        ...(err.code === 'WEAK_PASSWORD' ? { issues: [{ path: 'password', message: err.message }] } : {}),
      });
  }
  throw err;
}

function account(a: AccountSummary): Account {
  return {
    id: a.person.id,
    displayName: a.person.displayName,
    roles: [...a.person.roles],
    clients: [...a.person.clients],
    source: a.person.source,
    disabled: a.person.disabled,
    hasPassword: a.hasPassword,
    totpEnrolled: a.totpEnrolled,
    lockedUntil: a.lockedUntil,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** The caller as the identity service audits and limits them. */
function actorOf(ctx: CallContext): Actor {
  const p = ctx.principal.person;
  if (p === null)
    throw new VigieError('UNAUTHENTICATED', 'sign in to manage accounts', { reason: 'SIGN_IN_REQUIRED' });
  if (p.source === 'machine') return { kind: 'system', name: p.id };
  const person: Person = {
    id: p.id,
    displayName: p.displayName,
    roles: p.roles,
    clients: p.clients,
    source: p.source,
    disabled: false,
  };
  return { kind: 'person', person };
}

export function adminHandlers(deps: AdminDeps): Pick<Handlers, AdminChannel> {
  const { identity, audit, clock } = deps;
  const secrets =
    deps.vault === null
      ? null
      : new SecretsService({ vault: deps.vault, audit, clock, references: deps.references });

  const one = async (id: string): Promise<Account> => {
    const found = (await identity.listAccounts()).find((a) => a.person.id === id);
    if (!found) throw new VigieError('NOT_FOUND', `no account "${id}"`);
    return account(found);
  };

  const noVault = (): never => {
    throw new VigieError(
      'CONFLICT',
      'this engine has no secret vault (no key: see "Secrets" in the README); secrets cannot be stored',
    );
  };

  return {
    'users.list': async (_req, ctx) => {
      const me = actorOf(ctx);
      const all = (await identity.listAccounts()).map(account);
      // An administrator of some clients sees the accounts within their scope only.
      if (me.kind === 'system' || me.person.clients.includes('*')) return { accounts: all };
      const mine = new Set(me.person.clients);
      return { accounts: all.filter((a) => !a.clients.includes('*') && a.clients.every((c) => mine.has(c))) };
    },
    'users.create': async (req, ctx) => {
      const created = await identity
        .createPerson(actorOf(ctx), {
          id: req.id,
          displayName: req.displayName,
          roles: req.roles,
          clients: req.clients,
          source: req.source,
          ...(req.password === undefined ? {} : { password: req.password }),
        })
        .catch(contractError);
      return account(created);
    },
    'users.update': async (req, ctx) => {
      const actor = actorOf(ctx);
      await one(req.id);
      try {
        if (req.clients !== undefined) await identity.setClients(actor, req.id, req.clients);
        if (req.roles !== undefined) await identity.setRoles(actor, req.id, req.roles);
        if (req.disabled !== undefined) await identity.setDisabled(actor, req.id, req.disabled);
      } catch (err: unknown) {
        contractError(err);
      }
      return one(req.id);
    },
    'users.setPassword': async (req, ctx) => {
      await identity.setPassword(actorOf(ctx), req.id, req.password).catch(contractError);
      return one(req.id);
    },
    'users.removeTotp': async (req, ctx) => {
      await identity.removeTotp(actorOf(ctx), req.id).catch(contractError);
      return one(req.id);
    },
    'secrets.list': async (_req, ctx) => {
      // Recorded before it is shown: which credentials exist is itself protected.
      await audit.append({
        at: clock.now(),
        actor: ctx.actor,
        role: ctx.role,
        action: 'secrets.list',
        target: 'vault',
        details: {},
      });
      if (secrets === null) {
        const names = [...new Set(deps.references().map((r) => r.name))].sort();
        return {
          secrets: names.map((name) => ({
            name,
            configured: false,
            updatedAt: null,
            usedBy: deps
              .references()
              .filter((r) => r.name === name)
              .map((r) => r.path),
          })),
          unavailable: 'this engine has no secret vault',
        };
      }
      return secrets.list();
    },
    'secrets.set': (req, ctx) =>
      secrets === null ? noVault() : secrets.set(req, { actor: ctx.actor, role: ctx.role }),
    'secrets.delete': (req, ctx) =>
      secrets === null ? noVault() : secrets.delete(req, { actor: ctx.actor, role: ctx.role }),
  };
}
