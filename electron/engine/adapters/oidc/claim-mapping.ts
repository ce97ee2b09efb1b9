/**
 * From verified ID token claims to a Vigie person: the login, the name, the roles and the
 * clients (institutions) the person sees, each read from configured claims. Roles come only from
 * the mapping table: a person whose claims map to no role is refused, never given a default one.
 */
import {
  ALL_CLIENTS,
  loginSchema,
  personSchema,
  ROLES,
  type Person,
  type Role,
} from '../../../../shared/domain/identity';
import type { OidcClaimMapping } from './oidc-config';
import { OidcError } from './oidc-error';

/** A person who signed in with OIDC: `shared/domain/identity.ts`'s Person, source `oidc`. */
export type OidcPerson = Person & { readonly source: 'oidc'; readonly disabled: false };

/** Reads `a.b.c` through own properties only (a claim named `__proto__` reads as itself, never the prototype). */
export function readClaim(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = claims;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The strings of a claim: a string, or the strings of an array (other members ignored). */
function claimStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** Maps claims to a person, or throws CLAIMS, NO_ROLE or NO_CLIENT with a message naming the claims read. */
export function mapClaimsToPerson(
  claims: Readonly<Record<string, unknown>>,
  mapping: OidcClaimMapping,
): OidcPerson {
  const raw = readClaim(claims, mapping.login);
  // Vigie logins are lower case, so `Alice` at the provider is `alice` here, as it would be locally.
  const login = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (login === undefined || !loginSchema.safeParse(login).success)
    throw new OidcError(
      'CLAIMS',
      `the ID token has no usable "${mapping.login}" claim for the login (2 to 64 of a-z, 0-9, ".", "_", "-"): ` +
        'configure the provider to send it, or choose another claim',
    );
  const name = readClaim(claims, mapping.displayName);
  const displayName =
    typeof name === 'string' && name.trim() !== '' && name.trim().length <= 120 && !CONTROL.test(name)
      ? name.trim()
      : login;

  const values = new Set(mapping.roles.from.flatMap((path) => claimStrings(readClaim(claims, path))));
  const granted = new Set<Role>();
  for (const value of values) {
    const roles = lookup(mapping.roles.map, value);
    if (roles === undefined) continue;
    for (const role of typeof roles === 'string' ? [roles] : roles) granted.add(role);
  }
  if (granted.size === 0)
    throw new OidcError(
      'NO_ROLE',
      `${login} signed in, but nothing in ${mapping.roles.from.map((p) => `"${p}"`).join(', ')} maps to a Vigie role ` +
        `(${values.size} value(s) seen): ask an administrator to add the person to a mapped group or role`,
    );
  // In the order Vigie lists roles, so that equal grants compare equal.
  const roles = ROLES.filter((r) => granted.has(r));

  let clients: string[];
  if (mapping.clients === 'all') clients = [ALL_CLIENTS];
  else {
    const seen = new Set<string>();
    const clientMapping = mapping.clients;
    for (const value of clientMapping.from.flatMap((path) => claimStrings(readClaim(claims, path)))) {
      const mapped = lookup(clientMapping.map, value);
      if (mapped === undefined) continue;
      for (const c of typeof mapped === 'string' ? [mapped] : mapped) seen.add(c);
    }
    if (seen.size === 0)
      throw new OidcError(
        'NO_CLIENT',
        `${login} signed in, but nothing in ${clientMapping.from.map((p) => `"${p}"`).join(', ')} maps to a client: ` +
          'ask an administrator to give the person a mapped client group',
      );
    clients = seen.has(ALL_CLIENTS) ? [ALL_CLIENTS] : [...seen].sort();
  }
  // The shared schema has the last word on what a person is.
  const person = personSchema.safeParse({
    id: login,
    displayName,
    roles,
    clients,
    source: 'oidc',
    disabled: false,
  });
  if (!person.success)
    throw new OidcError(
      'CLAIMS',
      `the claims do not make a valid person: ${person.error.issues[0]?.message ?? ''}`,
    );
  return { ...person.data, source: 'oidc', disabled: false };
}
