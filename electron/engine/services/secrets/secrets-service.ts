/**
 * The `secrets.*` handlers: the vault's names and dates with the references that use them, and
 * set and delete, each written to the audit log before it takes effect (DESIGN section 3). The
 * audit entry names the secret, never its value. Used by the console's channels and by
 * `vigie secrets`.
 */
import { VigieError, type ErrorCode } from '../../../../shared/api';
import type {
  SecretsDeleteRequest,
  SecretsDeleteResponse,
  SecretsListResponse,
  SecretsSetRequest,
  SecretsSetResponse,
  SecretSummary,
} from '../../../../shared/api/secrets';
import type { AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import { SecretStoreError, type SecretStore, type SecretStoreErrorCode } from '../../ports/secret-store';

/** A `vault:NAME` reference found in the configuration: the name and where it is. */
export interface VaultReference {
  readonly name: string;
  readonly path: string;
}

/** Who acts, as the audit log records it. */
export interface SecretsActor {
  readonly actor: string;
  readonly role: string;
}

const VAULT_REF = /^vault:([a-z0-9][a-z0-9._-]{0,63})$/;

/**
 * Every `vault:NAME` string in a configuration (inventory included), with its path; list items
 * that have an `id` are named by it (`inventory.devices[dc1-ups-1].snmp.communitySecret`), so
 * the path still points at the right record when the list is reordered.
 */
export function findVaultReferences(config: unknown): VaultReference[] {
  const found: VaultReference[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      const m = VAULT_REF.exec(value);
      if (m?.[1]) found.push({ name: m[1], path });
      return;
    }
    if (typeof value !== 'object' || value === null || depth > 32 || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        const id = typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined;
        walk(item, `${path}[${typeof id === 'string' ? id : i}]`, depth + 1);
      });
      return;
    }
    for (const [key, child] of Object.entries(value))
      walk(child, path === '' ? key : `${path}.${key}`, depth + 1);
  };
  walk(config, '', 0);
  return found;
}

const ERROR_OF: Record<SecretStoreErrorCode, ErrorCode> = {
  INVALID: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  LOCKED: 'UPSTREAM_UNAVAILABLE',
  WRITE_FAILED: 'INTERNAL',
};

function asVigieError(err: unknown): unknown {
  return err instanceof SecretStoreError
    ? new VigieError(ERROR_OF[err.code], err.message, { cause: err })
    : err;
}

export interface SecretsServiceDeps {
  readonly vault: SecretStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The references of the configuration as it runs (findVaultReferences over it). */
  readonly references: () => readonly VaultReference[];
}

export class SecretsService {
  constructor(private readonly deps: SecretsServiceDeps) {}

  private usedBy(name: string): string[] {
    return this.deps
      .references()
      .filter((r) => r.name === name)
      .map((r) => r.path);
  }

  /** Stored secrets and referenced names, sorted by name. A locked vault is said, not thrown. */
  async list(): Promise<SecretsListResponse> {
    let stored: { name: string; updatedAt: number }[] = [];
    let unavailable: string | null = null;
    try {
      stored = await this.deps.vault.list();
    } catch (err: unknown) {
      if (!(err instanceof SecretStoreError)) throw err;
      unavailable = err.message;
    }
    const byName = new Map<string, SecretSummary>();
    for (const s of stored)
      byName.set(s.name, { name: s.name, configured: true, updatedAt: s.updatedAt, usedBy: [] });
    for (const ref of this.deps.references()) {
      const entry = byName.get(ref.name) ?? {
        name: ref.name,
        configured: false,
        updatedAt: null,
        usedBy: [],
      };
      entry.usedBy.push(ref.path);
      byName.set(ref.name, entry);
    }
    const secrets = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { secrets, unavailable };
  }

  async set(req: SecretsSetRequest, who: SecretsActor): Promise<SecretsSetResponse> {
    let replaced: boolean;
    try {
      replaced = (await this.deps.vault.list()).some((s) => s.name === req.name);
    } catch (err: unknown) {
      throw asVigieError(err);
    }
    await this.audit('secrets.set', req.name, who, { replaced, comment: req.comment ?? null });
    try {
      const info = await this.deps.vault.set(req.name, req.value);
      return { name: info.name, updatedAt: info.updatedAt, replaced };
    } catch (err: unknown) {
      await this.auditFailure('secrets.set', req.name, who, err);
      throw asVigieError(err);
    }
  }

  async delete(req: SecretsDeleteRequest, who: SecretsActor): Promise<SecretsDeleteResponse> {
    let exists: boolean;
    try {
      exists = (await this.deps.vault.list()).some((s) => s.name === req.name);
    } catch (err: unknown) {
      throw asVigieError(err);
    }
    if (!exists) throw new VigieError('NOT_FOUND', `no secret "${req.name}" in the vault`);
    const stillUsedBy = this.usedBy(req.name);
    await this.audit('secrets.delete', req.name, who, {
      stillUsedBy: stillUsedBy.length,
      comment: req.comment ?? null,
    });
    try {
      // Gone between the check and now (another seat, the CLI): the wish is met all the same.
      await this.deps.vault.delete(req.name);
    } catch (err: unknown) {
      await this.auditFailure('secrets.delete', req.name, who, err);
      throw asVigieError(err);
    }
    return { name: req.name, stillUsedBy };
  }

  private audit(
    action: string,
    name: string,
    who: SecretsActor,
    details: Record<string, string | number | boolean | null>,
  ): Promise<void> {
    return this.deps.audit.append({
      at: this.deps.clock.now(),
      actor: who.actor,
      role: who.role,
      action,
      target: name,
      details,
    });
  }

  /** The audited change did not happen: say so in the log, so the record is not misread. */
  private async auditFailure(action: string, name: string, who: SecretsActor, err: unknown): Promise<void> {
    const code = err instanceof SecretStoreError ? err.code : 'ERROR';
    await this.audit(`${action}.failed`, name, who, { error: code }).catch(() => undefined);
  }
}
