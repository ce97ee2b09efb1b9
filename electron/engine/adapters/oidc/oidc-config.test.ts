import { describe, expect, it } from 'vitest';
import { oidcConfigSchema } from './oidc-config';

const minimal = {
  issuer: 'https://sso.example.org/realms/ops',
  clientId: 'vigie',
  claims: { roles: { from: ['realm_access.roles'], map: { 'vigie-operator': 'operator' } } },
};

function paths(input: unknown): string[] {
  const parsed = oidcConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('oidcConfigSchema', () => {
  it('fills the defaults of a public client', () => {
    const config = oidcConfigSchema.parse(minimal);
    expect(config).toMatchObject({
      redirectPath: '/',
      scopes: [],
      idTokenAlgs: ['RS256', 'PS256', 'ES256'],
      clockSkewSeconds: 60,
      timeouts: { requestMs: 10_000, signInMs: 300_000 },
      claims: { login: 'preferred_username', displayName: 'name', clients: 'all' },
    });
    expect(config.clientSecret).toBeUndefined();
  });

  it('takes secret references, never a secret in clear', () => {
    expect(paths({ ...minimal, clientSecret: 'vault:oidc/vigie' })).toEqual([]);
    expect(paths({ ...minimal, clientSecret: 'env:VIGIE_OIDC_SECRET' })).toEqual([]);
    expect(paths({ ...minimal, clientSecret: 's3cr3t-in-clear' })[0]).toMatch(
      /^clientSecret: must be a secret reference/,
    );
  });

  it('refuses an http issuer other than loopback, and issuers with a query', () => {
    expect(paths({ ...minimal, issuer: 'http://sso.example.org/realms/ops' })[0]).toContain('must be https');
    expect(paths({ ...minimal, issuer: 'http://127.0.0.1:8080/realms/ops' })).toEqual([]);
    expect(paths({ ...minimal, issuer: 'https://sso.example.org/?realm=ops' })[0]).toContain('no query');
    expect(paths({ ...minimal, issuer: 'not a url' })[0]).toContain('must be a URL');
  });

  it('refuses a role table that maps nothing, unknown roles, HS algorithms and extra keys', () => {
    expect(paths({ ...minimal, claims: { roles: { map: {} } } })[0]).toContain('at least one');
    expect(paths({ ...minimal, claims: { roles: { map: { x: 'root' } } } }).length).toBeGreaterThan(0);
    expect(paths({ ...minimal, idTokenAlgs: ['HS256'] }).length).toBeGreaterThan(0);
    expect(paths({ ...minimal, idTokenAlgs: ['none'] }).length).toBeGreaterThan(0);
    expect(paths({ ...minimal, extra: true }).length).toBeGreaterThan(0);
    const clients = (map: unknown): unknown => ({
      ...minimal,
      claims: { ...minimal.claims, clients: { from: ['groups'], map } },
    });
    expect(paths(clients({ '/acme': 'acme', '/all': '*' }))).toEqual([]);
    expect(paths(clients({ '/acme': 'ACME Corp' })).length).toBeGreaterThan(0);
  });
});
