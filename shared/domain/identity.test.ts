import { describe, expect, it } from 'vitest';
import {
  clientScopeSchema,
  hasRole,
  loginSchema,
  personSchema,
  ROLES,
  scopeWithin,
  seesClient,
} from './identity';

describe('identity schemas', () => {
  it('lists the seven roles of issue 6', () => {
    expect(ROLES).toEqual([
      'viewer',
      'operator',
      'oncall',
      'service-manager',
      'sla-admin',
      'publisher',
      'admin',
    ]);
  });

  it('accepts logins of lower-case letters, digits, dot, underscore and dash, 2 to 64 long', () => {
    for (const ok of ['ab', 'alice', 'j.dupont', 'ops_1', 'a-b', '0perator', 'a'.repeat(64)])
      expect(loginSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['a', 'Alice', '.alice', '-a', 'a b', 'al@ce', 'a'.repeat(65), 'é1'])
      expect(loginSchema.safeParse(bad).success).toBe(false);
  });

  it('takes "*" alone or a list of distinct client ids as a scope', () => {
    expect(clientScopeSchema.safeParse(['*']).success).toBe(true);
    expect(clientScopeSchema.safeParse(['ehealth', 'employer']).success).toBe(true);
    expect(clientScopeSchema.safeParse([]).success).toBe(false);
    expect(clientScopeSchema.safeParse(['*', 'ehealth']).success).toBe(false);
    expect(clientScopeSchema.safeParse(['ehealth', 'ehealth']).success).toBe(false);
    expect(clientScopeSchema.safeParse(['eHealth']).success).toBe(false);
  });

  it('parses a person strictly: at least one role, no unknown field, no credential', () => {
    const alice = {
      id: 'alice',
      displayName: 'Alice',
      roles: ['operator'],
      clients: ['*'],
      source: 'local',
      disabled: false,
    };
    expect(personSchema.parse(alice)).toEqual(alice);
    expect(personSchema.safeParse({ ...alice, roles: [] }).success).toBe(false);
    expect(personSchema.safeParse({ ...alice, roles: ['root'] }).success).toBe(false);
    expect(personSchema.safeParse({ ...alice, roles: ['viewer', 'viewer'] }).success).toBe(false);
    expect(personSchema.safeParse({ ...alice, passwordHash: 'x' }).success).toBe(false);
    expect(personSchema.safeParse({ ...alice, displayName: '   ' }).success).toBe(false);
  });
});

describe('roles and scope', () => {
  const scoped = { roles: ['operator' as const], clients: ['ehealth'] };
  const all = { roles: ['admin' as const], clients: ['*'] };
  it('hasRole reads the list; nothing is implied', () => {
    expect(hasRole(all, 'admin')).toBe(true);
    expect(hasRole(all, 'operator')).toBe(false);
  });
  it('a scoped person sees their clients only, not what belongs to no client', () => {
    expect(seesClient(scoped, 'ehealth')).toBe(true);
    expect(seesClient(scoped, 'employer')).toBe(false);
    expect(seesClient(scoped, null)).toBe(false);
    expect(seesClient(all, null)).toBe(true);
    expect(seesClient(all, 'employer')).toBe(true);
  });
  it('scopeWithin: "*" covers all, a list covers its subsets only', () => {
    expect(scopeWithin(['ehealth'], ['*'])).toBe(true);
    expect(scopeWithin(['*'], ['ehealth'])).toBe(false);
    expect(scopeWithin(['ehealth'], ['ehealth', 'employer'])).toBe(true);
    expect(scopeWithin(['ehealth', 'batch'], ['ehealth'])).toBe(false);
  });
});
