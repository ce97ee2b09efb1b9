/**
 * Messages between Electron's main process and the engine running in a utilityProcess
 * (process.parentPort). Main forwards renderer requests as `invoke` (after checking the sender
 * frame); they all belong to the desktop seat, whose session the host holds. The first
 * message main sends is `start` (the vault key); the host starts the engine when it arrives.
 */
export type MainToHost =
  | { type: 'start'; vault: VaultHandoff }
  | { type: 'invoke'; id: number; channel: string; request: unknown }
  | { type: 'shutdown' };

/**
 * The vault's data key as main hands it over in the first message (`start`), never on the
 * command line: main keeps it wrapped with Electron's safeStorage (electron/main/vault-key.ts).
 * `unavailable` says why there is none (no keyring, `basic_text` backend): the engine then runs
 * without a vault and `vault:` references fail with that reason.
 */
export type VaultHandoff = { readonly key: string } | { readonly unavailable: string };

export type HostToMain =
  | { type: 'ready'; version: string; training: boolean }
  | { type: 'result'; id: number; envelope: unknown }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'fatal'; message: string };

/** Arguments main passes to the host: `--data-dir <dir>` and optionally `--config <file>`. */
export interface HostArgs {
  dataDir: string;
  configFile?: string;
}
