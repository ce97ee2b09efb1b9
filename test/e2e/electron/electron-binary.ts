/**
 * Finds an Electron binary WITHOUT downloading one. `require('electron')` would fetch the binary
 * on first use (Electron ≥ 42 has no install script), which cannot work on machines without
 * access to GitHub; this mirrors the lookup of node_modules/electron/index.js minus the download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary =
  | {
      readonly found: true;
      readonly path: string;
      readonly source: 'ELECTRON_OVERRIDE_DIST_PATH' | 'node_modules/electron/dist';
    }
  | { readonly found: false; readonly reason: string };

/** The executable inside an Electron dist folder, as the electron package names it. */
export function executableName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function findElectronBinary(
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): ElectronBinary {
  const packageDir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  // path.txt is written by the package once it has extracted a binary; it names the executable.
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override !== undefined && override !== '') {
    const candidate = join(override, recorded === '' ? executableName(platform) : recorded);
    return existsSync(candidate)
      ? { found: true, path: candidate, source: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${candidate} does not exist` };
  }
  if (recorded === '') {
    return {
      found: false,
      reason:
        'ELECTRON_OVERRIDE_DIST_PATH is not set and node_modules/electron/path.txt is absent (the electron package downloads its binary on first run, which needs access to GitHub)',
    };
  }
  const candidate = join(packageDir, 'dist', recorded);
  return existsSync(candidate)
    ? { found: true, path: candidate, source: 'node_modules/electron/dist' }
    : {
        found: false,
        reason: `node_modules/electron/path.txt names ${recorded}, but ${candidate} does not exist`,
      };
}
