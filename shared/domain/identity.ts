/**
 * Who a person is to Vigie: a login, the roles they hold and the client institutions they may see
 * (issue 6, "Roles and scope"). Pure: the engine's identity service keeps the accounts, the
 * contract re-exports these schemas, the renderer reads them to hide what a role cannot do.
 */
import { z } from 'zod';

/**
 * Every role, from the least to the most privileged. A person holds one or more; nothing is
 * implied (an `admin` who must also acknowledge alarms holds `operator` too), so what a role may
 * do is read from one table in the contract, never from an order.
 */
export const ROLES = [
  'viewer',
  'operator',
  'oncall',
  'service-manager',
  'sla-admin',
  'publisher',
  'admin',
] as const;

/** One of {@link ROLES}. */
export const roleSchema = z.enum(ROLES);

/** One of {@link ROLES}. */
export type Role = z.infer<typeof roleSchema>;

/** The client scope that means "every institution". */
export const ALL_CLIENTS = '*';

/**
 * A login: lower-case letters, digits, `.`, `_` and `-`, 2 to 64 characters, starting with a
 * letter or digit. Lower case only, so `Alice` and `alice` can never be two people.
 */
export const loginSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,63}$/,
    'a login is 2 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** A client institution's id, as services carry it in the inventory (`client:`). */
export const clientIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'a client id is lower-case letters, digits and dashes (at most 63), starting with a letter or digit',
  );

/**
 * The institutions a person may see: `['*']` for all of them, or a non-empty list of client ids
 * without repeats. `'*'` mixed with ids is refused: it would read as a restriction and be none.
 */
export const clientScopeSchema = z
  .array(z.union([z.literal(ALL_CLIENTS), clientIdSchema]))
  .min(1, 'a person sees at least one client, or "*" for all')
  .max(1000)
  .refine((list) => !list.includes(ALL_CLIENTS) || list.length === 1, {
    message: '"*" (all clients) stands alone',
  })
  .refine((list) => new Set(list).size === list.length, { message: 'a client is listed twice' });

/** Roles of a person: at least one, each once. */
export const roleListSchema = z
  .array(roleSchema)
  .min(1, 'a person holds at least one role')
  .max(ROLES.length)
  .refine((list) => new Set(list).size === list.length, { message: 'a role is listed twice' });

/** Where the account comes from: a local password (and TOTP), or an OpenID Connect provider. */
export const identitySourceSchema = z.enum(['local', 'oidc']);

/** Where the account comes from. */
export type IdentitySource = z.infer<typeof identitySourceSchema>;

/** A person who may sign in to Vigie. Holds no credential: those stay in the engine. */
export const personSchema = z.strictObject({
  /** The login, also the person's stable id in the audit trail. */
  id: loginSchema,
  displayName: z.string().trim().min(1).max(120),
  roles: roleListSchema,
  clients: clientScopeSchema,
  source: identitySourceSchema,
  /** A disabled person cannot sign in and holds no session. */
  disabled: z.boolean(),
});

/** A person who may sign in to Vigie. */
export type Person = z.infer<typeof personSchema>;

/** Whether `person` holds `role`. */
export function hasRole(person: Pick<Person, 'roles'>, role: Role): boolean {
  return person.roles.includes(role);
}

/**
 * Whether `person` may see what is run for `client`. Something that belongs to no client
 * (`null`: shared infrastructure, a datacenter's power) is seen only with the scope `'*'`: a
 * person scoped to one institution sees that institution's services, not the whole estate.
 */
export function seesClient(person: Pick<Person, 'clients'>, client: string | null): boolean {
  if (person.clients.includes(ALL_CLIENTS)) return true;
  return client !== null && person.clients.includes(client);
}

/** Whether the scope `inner` lies within `outer` (a scoped administrator manages only inside it). */
export function scopeWithin(inner: readonly string[], outer: readonly string[]): boolean {
  if (outer.includes(ALL_CLIENTS)) return true;
  if (inner.includes(ALL_CLIENTS)) return false;
  return inner.every((c) => outer.includes(c));
}
