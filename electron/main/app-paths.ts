/** Where the built pieces sit relative to out/main (electron-vite's layout) and where data goes. */
import { isAbsolute, join } from 'node:path';

export interface ShellPaths {
  /** Sandboxed preloads must be CommonJS: out/preload/index.cjs. */
  readonly preload: string;
  /** The built renderer served by app://vigie/. */
  readonly renderer: string;
  /** The engine's utilityProcess entry. */
  readonly engineHost: string;
}

export function shellPaths(mainDir: string): ShellPaths {
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    renderer: join(mainDir, '..', 'renderer'),
    engineHost: join(mainDir, 'engine-host.js'),
  };
}

/**
 * `VIGIE_USER_DATA_DIR` (absolute) replaces Electron's userData folder: tests and side-by-side
 * seats get their own database, logs and single-instance lock.
 */
export function userDataOverride(env: Readonly<Record<string, string | undefined>>): string | null {
  const dir = env['VIGIE_USER_DATA_DIR'];
  return dir !== undefined && dir !== '' && isAbsolute(dir) ? dir : null;
}

/** The engine configuration file: `--config=<file>` on the command line, else `VIGIE_CONFIG`. */
export function configFileFrom(
  switchValue: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (switchValue !== '') return switchValue;
  const fromEnv = env['VIGIE_CONFIG'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}
