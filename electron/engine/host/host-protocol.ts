/**
 * Messages between Electron's main process and the engine running in a utilityProcess
 * (process.parentPort). Main forwards renderer requests as `invoke` (after checking the sender
 * frame); the desktop seat is the local operator, so main passes `role: 'operator'`.
 */
import type { Role } from '../../../shared/api';

export type MainToHost =
  { type: 'invoke'; id: number; channel: string; request: unknown; role: Role } | { type: 'shutdown' };

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
