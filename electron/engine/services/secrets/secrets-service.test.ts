import { describe, expect, it } from 'vitest';
import { VigieError } from '../../../../shared/api';
import { secretsListResponseSchema, secretsSetRequestSchema } from '../../../../shared/api/secrets';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import { SecretStoreError, type SecretStore, type StoredSecretInfo } from '../../ports/secret-store';
import { findVaultReferences, SecretsService } from './secrets-service';

/** An in-memory vault that records the order of calls (with the audit log's) in `events`. */
function fakeVault(
  events: string[],
  failWith?: SecretStoreError,
): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  const dates = new Map<string, number>();
  return {
    location: '/data/secrets.vault',
    values,
    list: () => {
      if (failWith?.code === 'LOCKED') return Promise.reject(failWith);
      return Promise.resolve(
        [...values.keys()]
          .sort()
          .map((name): StoredSecretInfo => ({ name, updatedAt: dates.get(name) ?? 0 })),
      );
    },
    get: (name) => Promise.resolve(values.get(name) ?? null),
    set: (name, value) => {
      events.push(`vault.set ${name}`);
      if (failWith) return Promise.reject(failWith);
      values.set(name, value);
      dates.set(name, 5000);
      return Promise.resolve({ name, updatedAt: 5000 });
    },
    delete: (name) => {
      events.push(`vault.delete ${name}`);
      return Promise.resolve(values.delete(name));
    },
  };
}

function fakeAudit(events: string[]): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append: (e) => {
      events.push(`audit ${e.action} ${e.target}`);
      entries.push(e);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...entries]),
  };
}

const clock: Clock = { now: () => 1234, setTimeout: () => () => undefined };
const who = { actor: 'cli:ops', role: 'admin' };

const config = {
  inventory: {
    devices: [
      { id: 'dc1-ups-1', snmp: { version: 'v2c', communitySecret: 'vault:ups.community' } },
      { id: 'dc1-sw-1', snmp: { version: 'v3', authSecret: 'vault:sw.auth', privSecret: 'env:SW_PRIV' } },
    ],
  },
  notifications: { email: { passwordSecret: 'vault:smtp.password' } },
  nested: [['vault:ups.community']],
  notARef: 'vault:UPPER',
};

describe('findVaultReferences', () => {
  it('finds every vault: reference with a path that names list items by id', () => {
    expect(findVaultReferences(config)).toEqual([
      { name: 'ups.community', path: 'inventory.devices[dc1-ups-1].snmp.communitySecret' },
      { name: 'sw.auth', path: 'inventory.devices[dc1-sw-1].snmp.authSecret' },
      { name: 'smtp.password', path: 'notifications.email.passwordSecret' },
      { name: 'ups.community', path: 'nested[0][0]' },
    ]);
  });
});

describe('SecretsService', () => {
  it('lists stored and referenced secrets, configured or not, with where they are used; never values', async () => {
    const events: string[] = [];
    const vault = fakeVault(events);
    const service = new SecretsService({
      vault,
      audit: fakeAudit(events),
      clock,
      references: () => findVaultReferences(config),
    });
    await vault.set('ups.community', 'the-community-value');
    await vault.set('unused', 'x');
    const list = secretsListResponseSchema.parse(await service.list());
    expect(list.unavailable).toBeNull();
    expect(list.secrets).toEqual([
      {
        name: 'smtp.password',
        configured: false,
        updatedAt: null,
        usedBy: ['notifications.email.passwordSecret'],
      },
      {
        name: 'sw.auth',
        configured: false,
        updatedAt: null,
        usedBy: ['inventory.devices[dc1-sw-1].snmp.authSecret'],
      },
      { name: 'unused', configured: true, updatedAt: 5000, usedBy: [] },
      {
        name: 'ups.community',
        configured: true,
        updatedAt: 5000,
        usedBy: ['inventory.devices[dc1-ups-1].snmp.communitySecret', 'nested[0][0]'],
      },
    ]);
    expect(JSON.stringify(list)).not.toContain('the-community-value');
  });

  it('a locked vault is said in the list, with the referenced names still shown', async () => {
    const service = new SecretsService({
      vault: fakeVault(
        [],
        new SecretStoreError('LOCKED', 'the vault /data/secrets.vault cannot be opened: wrong key'),
      ),
      audit: fakeAudit([]),
      clock,
      references: () => findVaultReferences(config),
    });
    const list = await service.list();
    expect(list.unavailable).toContain('wrong key');
    expect(list.secrets.map((s) => s.name)).toEqual(['smtp.password', 'sw.auth', 'ups.community']);
  });

  it('audits a set before it takes effect, with the name and never the value', async () => {
    const events: string[] = [];
    const audit = fakeAudit(events);
    const service = new SecretsService({ vault: fakeVault(events), audit, clock, references: () => [] });
    expect(
      await service.set({ name: 'smtp.password', value: 'hunter2-smtp', comment: 'rotation' }, who),
    ).toEqual({
      name: 'smtp.password',
      updatedAt: 5000,
      replaced: false,
    });
    expect((await service.set({ name: 'smtp.password', value: 'again' }, who)).replaced).toBe(true);
    expect(events).toEqual([
      'audit secrets.set smtp.password',
      'vault.set smtp.password',
      'audit secrets.set smtp.password',
      'vault.set smtp.password',
    ]);
    expect(audit.entries[0]).toEqual({
      at: 1234,
      actor: 'cli:ops',
      role: 'admin',
      action: 'secrets.set',
      target: 'smtp.password',
      details: { replaced: false, comment: 'rotation' },
    });
    expect(JSON.stringify(audit.entries)).not.toContain('hunter2');
  });

  it('records a failed set as failed and answers with a typed error', async () => {
    const events: string[] = [];
    const audit = fakeAudit(events);
    const service = new SecretsService({
      vault: fakeVault(
        events,
        new SecretStoreError('WRITE_FAILED', 'the vault /data/secrets.vault could not be written (ENOSPC)'),
      ),
      audit,
      clock,
      references: () => [],
    });
    const err = await service.set({ name: 'a', value: 'b' }, who).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigieError);
    expect(err).toMatchObject({ code: 'INTERNAL' });
    expect(events).toEqual(['audit secrets.set a', 'vault.set a', 'audit secrets.set.failed a']);
  });

  it('audits a delete before it takes effect and says which references still name it', async () => {
    const events: string[] = [];
    const vault = fakeVault(events);
    const service = new SecretsService({
      vault,
      audit: fakeAudit(events),
      clock,
      references: () => findVaultReferences(config),
    });
    await expect(service.delete({ name: 'ups.community' }, who)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await vault.set('ups.community', 'c');
    events.length = 0;
    expect(await service.delete({ name: 'ups.community' }, who)).toEqual({
      name: 'ups.community',
      stillUsedBy: ['inventory.devices[dc1-ups-1].snmp.communitySecret', 'nested[0][0]'],
    });
    expect(events).toEqual(['audit secrets.delete ups.community', 'vault.delete ups.community']);
  });

  it('the request schema bounds the value at 16 KiB of UTF-8 and checks the name', () => {
    expect(secretsSetRequestSchema.safeParse({ name: 'k', value: 'a'.repeat(16 * 1024) }).success).toBe(true);
    expect(secretsSetRequestSchema.safeParse({ name: 'k', value: 'a'.repeat(16 * 1024 + 1) }).success).toBe(
      false,
    );
    // 6000 three-byte characters: under the character limit, over the byte limit.
    expect(secretsSetRequestSchema.safeParse({ name: 'k', value: '€'.repeat(6000) }).success).toBe(false);
    expect(secretsSetRequestSchema.safeParse({ name: 'K/../x', value: 'v' }).success).toBe(false);
    expect(secretsSetRequestSchema.safeParse({ name: 'k', value: '' }).success).toBe(false);
    expect(secretsSetRequestSchema.safeParse({ name: 'k', value: 'v', extra: 1 }).success).toBe(false);
  });
});
