import { describe, expect, it } from 'vitest';
import { mapClaimsToPerson, readClaim } from './claim-mapping';
import { oidcClaimMappingSchema, type OidcClaimMapping } from './oidc-config';
import { OidcError } from './oidc-error';

function mapping(input: unknown): OidcClaimMapping {
  return oidcClaimMappingSchema.parse(input);
}

const keycloak = mapping({
  roles: {
    from: ['realm_access.roles', 'resource_access.vigie.roles'],
    map: { 'vigie-operator': 'operator', 'vigie-admin': ['admin', 'viewer'], 'sla-admins': 'sla-admin' },
  },
  clients: { from: ['groups'], map: { '/clients/acme': 'acme', '/clients/globex': 'globex', '/staff': '*' } },
});

function failure(fn: () => unknown): OidcError {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof OidcError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('mapClaimsToPerson', () => {
  it('reads Keycloak realm and client roles and maps them through the table', () => {
    const person = mapClaimsToPerson(
      {
        preferred_username: 'jdupont',
        name: 'Jeanne Dupont',
        realm_access: { roles: ['offline_access', 'vigie-operator'] },
        resource_access: { vigie: { roles: ['sla-admins'] }, account: { roles: ['vigie-admin'] } },
        groups: ['/clients/globex', '/clients/acme', '/other'],
      },
      keycloak,
    );
    expect(person).toEqual({
      id: 'jdupont',
      displayName: 'Jeanne Dupont',
      // account's vigie-admin is another client's role: not read.
      roles: ['operator', 'sla-admin'],
      clients: ['acme', 'globex'],
      source: 'oidc',
      disabled: false,
    });
  });

  it('gives every role a value maps to, in Vigie order, once', () => {
    const person = mapClaimsToPerson(
      {
        preferred_username: 'ab',
        realm_access: { roles: ['vigie-admin', 'vigie-operator', 'vigie-admin'] },
        groups: '/staff',
      },
      keycloak,
    );
    expect(person.roles).toEqual(['viewer', 'operator', 'admin']);
    expect(person.clients).toEqual(['*']);
  });

  it('refuses a person whose claims map to no role, never giving a default one', () => {
    const err = failure(() =>
      mapClaimsToPerson(
        { preferred_username: 'intern', realm_access: { roles: ['offline_access'] }, groups: ['/staff'] },
        keycloak,
      ),
    );
    expect(err.code).toBe('NO_ROLE');
    expect(err.message).toContain('intern');
    expect(err.message).toContain('"realm_access.roles"');
    const none = failure(() => mapClaimsToPerson({ preferred_username: 'xy', groups: ['/staff'] }, keycloak));
    expect(none.code).toBe('NO_ROLE');
  });

  it('refuses a person with roles but no mapped client when clients come from claims', () => {
    const err = failure(() =>
      mapClaimsToPerson(
        { preferred_username: 'ab', realm_access: { roles: ['vigie-operator'] }, groups: ['/x'] },
        keycloak,
      ),
    );
    expect(err.code).toBe('NO_CLIENT');
  });

  it('gives all clients when the mapping says all (the default)', () => {
    const m = mapping({ roles: { map: { ops: 'viewer' } } });
    expect(m.roles.from).toEqual(['groups']);
    expect(mapClaimsToPerson({ preferred_username: 'ab', groups: ['ops'] }, m).clients).toEqual(['*']);
  });

  it('reads a configured login claim and falls back to the login for the name', () => {
    const m = mapping({ login: 'upn', displayName: 'display', roles: { map: { ops: 'viewer' } } });
    const person = mapClaimsToPerson({ upn: ' J.Dupont ', display: '\u0007bell', groups: ['ops'] }, m);
    // Lower-cased, as Vigie logins are.
    expect(person.id).toBe('j.dupont');
    expect(person.displayName).toBe('j.dupont');
  });

  it('refuses a missing or unusable login claim', () => {
    const m = mapping({ roles: { map: { ops: 'viewer' } } });
    for (const login of [
      undefined,
      '',
      '  ',
      42,
      ['ab'],
      'a',
      'a'.repeat(65),
      'line\nbreak',
      'ops@example.org',
    ])
      expect(failure(() => mapClaimsToPerson({ preferred_username: login, groups: ['ops'] }, m)).code).toBe(
        'CLAIMS',
      );
  });

  it('does not let hostile claim or map keys reach prototypes', () => {
    const claims = JSON.parse(
      '{"preferred_username":"ab","groups":["__proto__","constructor","toString"]}',
    ) as Record<string, unknown>;
    const m = mapping({ roles: { map: { ops: 'viewer' } } });
    expect(failure(() => mapClaimsToPerson(claims, m)).code).toBe('NO_ROLE');
    const nested = JSON.parse('{"__proto__":{"roles":["ops"]}}') as Record<string, unknown>;
    expect(readClaim(nested, '__proto__.roles')).toEqual(['ops']);
    expect(readClaim({}, 'constructor.name')).toBeUndefined();
    expect(readClaim({ a: 'text' }, 'a.length')).toBeUndefined();
  });
});
