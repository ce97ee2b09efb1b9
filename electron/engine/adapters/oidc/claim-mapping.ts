/**
 * From verified ID token claims to a Vigie person: the login, the name, the roles and the
 * clients (institutions) the person sees, each read from configured claims. Roles come only from
 * the mapping table: a person whose claims map to no role is refused, never given a default one.
 */
import type { OidcClaimMapping, OidcRole } from './oidc-config';
import { OIDC_ROLES } from './oidc-config';
import { OidcError } from './oidc-error';

/**
 * A person as `shared/domain/identity.ts` describes one (issue 6), for a person who signed in
 * with OIDC. `clients` holds client ids, or `*` for all.
 */
export interface OidcPerson {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly OidcRole[];
  readonly clients: readonly string[];
  readonly source: 'oidc';
  readonly disabled: false;
}

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
  const login = readClaim(claims, mapping.login);
  if (typeof login !== 'string' || login.trim() === '' || login.length > 128 || CONTROL.test(login))
    throw new OidcError(
      'CLAIMS',
      `the ID token has no usable "${mapping.login}" claim for the login (a string of 1 to 128 characters): ` +
        'configure the provider to send it, or choose another claim',
    );
  const name = readClaim(claims, mapping.displayName);
  const displayName =
    typeof name === 'string' && name.trim() !== '' && name.length <= 200 && !CONTROL.test(name)
      ? name.trim()
      : login;

  const values = new Set(mapping.roles.from.flatMap((path) => claimStrings(readClaim(claims, path))));
  const granted = new Set<OidcRole>();
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
  const roles = OIDC_ROLES.filter((r) => granted.has(r));

  let clients: string[];
  if (mapping.clients === 'all') clients = ['*'];
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
    clients = seen.has('*') ? ['*'] : [...seen].sort();
  }
  return { id: login, displayName, roles, clients, source: 'oidc', disabled: false };
}
