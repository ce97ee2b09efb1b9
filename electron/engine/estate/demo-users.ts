/**
 * Demo users of the training estate (issue 6): one per role, and one operator who sees a single
 * client institution, so a trainee can sign in as each role and see what it may see and do. The
 * passwords are published (README.md in this folder): these accounts exist only in the training
 * data folder, never in production. They have no TOTP (a trainee has no authenticator app at
 * hand); `vigie users totp LOGIN --estate` enrols one for a drill.
 *
 * The estate does not import the identity service (it is a peer of real equipment, not of the
 * engine): it asks for the two calls it needs.
 */
import type { Role } from '../../../shared/domain/identity';

/** What seeding needs of the identity service. */
export interface DemoUserAdmin {
  getPerson(id: string): Promise<unknown>;
  createPerson(
    actor: { readonly kind: 'system'; readonly name: string },
    input: {
      readonly id: string;
      readonly displayName: string;
      readonly roles: readonly Role[];
      readonly clients: readonly string[];
      readonly password: string;
    },
  ): Promise<unknown>;
}

/**
 * The client the scoped demo operator sees: the institution of the eHealth platform services
 * (`a-ehealth`, `b-ehealth`, which carry this `client` in the estate's inventory).
 */
export const DEMO_SCOPED_CLIENT = 'ehealth';

export interface DemoUser {
  readonly login: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly clients: readonly string[];
  readonly password: string;
}

/** The demo logins, as README.md lists them. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    login: 'viewer',
    displayName: 'Demo viewer',
    roles: ['viewer'],
    clients: ['*'],
    password: 'training-viewer',
  },
  {
    login: 'operator',
    displayName: 'Demo operator',
    roles: ['operator'],
    clients: ['*'],
    password: 'training-operator',
  },
  {
    login: 'oncall',
    displayName: 'Demo on-call engineer',
    roles: ['oncall'],
    clients: ['*'],
    password: 'training-oncall',
  },
  {
    login: 'manager',
    displayName: 'Demo service manager',
    roles: ['service-manager'],
    clients: ['*'],
    password: 'training-manager',
  },
  {
    login: 'sla-admin',
    displayName: 'Demo SLA administrator',
    roles: ['sla-admin'],
    clients: ['*'],
    password: 'training-sla-admin',
  },
  {
    login: 'publisher',
    displayName: 'Demo publisher',
    roles: ['publisher'],
    clients: ['*'],
    password: 'training-publisher',
  },
  {
    login: 'admin',
    displayName: 'Demo administrator',
    roles: ['admin'],
    clients: ['*'],
    password: 'training-admin',
  },
  {
    login: 'ehealth-operator',
    displayName: 'Demo operator (eHealth only)',
    roles: ['operator'],
    clients: [DEMO_SCOPED_CLIENT],
    password: 'training-ehealth',
  },
];

/**
 * Creates the demo users that do not exist yet (audited as `estate`); an existing one is
 * left as it is, so a trainee's changes (a new password, TOTP, a disabled account) survive a
 * restart. Resolves the logins it created.
 */
export async function seedDemoUsers(service: DemoUserAdmin): Promise<string[]> {
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    if ((await service.getPerson(user.login)) !== null) continue;
    await service.createPerson(
      { kind: 'system', name: 'estate' },
      {
        id: user.login,
        displayName: user.displayName,
        roles: user.roles,
        clients: user.clients,
        password: user.password,
      },
    );
    created.push(user.login);
  }
  return created;
}
