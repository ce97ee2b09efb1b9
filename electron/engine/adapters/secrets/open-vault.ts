/**
 * The vault of an engine as it starts: opened once so that a wrong or missing key is said in the
 * log at start (naming the vault file), and never fatal: the engine runs, and each `vault:`
 * reference then fails with that same reason where it is used.
 */
import type { Logger } from '../../ports/logger';
import { VaultSecretStore, type VaultKeyProvider } from './vault-secret-store';

export async function openVault(
  dataDir: string,
  key: VaultKeyProvider,
  logger: Logger,
): Promise<VaultSecretStore> {
  const vault = VaultSecretStore.inDataDir(dataDir, key);
  try {
    const { exists, secrets } = await vault.check();
    logger.info({ vault: vault.location, exists, secrets }, exists ? 'vault opened' : 'no vault yet');
  } catch (err: unknown) {
    logger.warn(
      { vault: vault.location, reason: err instanceof Error ? err.message : String(err) },
      'vault unavailable: vault: references will fail until this is fixed',
    );
  }
  return vault;
}
