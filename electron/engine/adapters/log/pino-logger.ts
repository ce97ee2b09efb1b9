/**
 * The engine's one structured logger: JSON lines in `<dataDir>/logs/vigie.log`, one child per
 * module, secrets redacted by path (community strings, passphrases, passwords, tokens, keys,
 * Authorization headers), at the top level and up to three levels down, whatever the case
 * convention of the object that carries them.
 *
 * Redaction by path is a net, not the rule: code passes references (`vault:ups.community`) and
 * never secret values to the logger. `npm run test:all` checks both by scanning every log a test
 * run wrote for the known test secrets (scripts/check-log-redaction.mts).
 */
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pino } from 'pino';
import type { Logger } from '../../ports/logger';

/** Keys whose value is a secret wherever they appear. */
export const SECRET_KEYS = [
  'password',
  'passwd',
  'passphrase',
  'authPassphrase',
  'privPassphrase',
  'authKey',
  'privKey',
  'community',
  'communities',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'bearer',
  'apiKey',
  'api_key',
  'privateKey',
  'private_key',
  'secret',
  'clientSecret',
  'client_secret',
  'key',
  'keyMaterial',
  'vaultKey',
  'operatorKey',
  'totp',
  'otp',
  'cookie',
  'authorization',
  'Authorization',
  'proxy-authorization',
  'set-cookie',
  'x-api-key',
] as const;

/** fast-redact paths: bracket notation, so keys with dashes are paths too. */
function pathsOf(keys: readonly string[]): string[] {
  const paths: string[] = [];
  for (const k of keys) {
    const leaf = `["${k}"]`;
    paths.push(/^[A-Za-z_$][\w$]*$/.test(k) ? k : leaf);
    for (const prefix of ['*', '*.*', '*.*.*']) paths.push(`${prefix}${leaf}`);
  }
  return paths;
}

export const REDACT_PATHS: readonly string[] = pathsOf(SECRET_KEYS);
export const REDACTED = '[redacted]';

/**
 * The test harness's log folder: when `VIGIE_TEST_LOG_DIR` is set (npm run test:all), engines
 * write their log there, one file per process, so the run's logs can be scanned in one place.
 */
export function testLogDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env['VIGIE_TEST_LOG_DIR'];
  return dir === undefined || dir === '' ? null : resolve(dir);
}

/** A JSON-lines logger on one file, with the redaction above. */
export function createJsonLogger(file: string, level = process.env['VIGIE_LOG_LEVEL'] ?? 'info'): Logger {
  // Synchronous writes: after a crash the log must hold the lines that led to it.
  const destination = pino.destination({ dest: file, sync: true, mkdir: true });
  return pino(
    { level, redact: { paths: [...REDACT_PATHS], censor: REDACTED }, base: { pid: process.pid } },
    destination,
  );
}

export function createFileLogger(dataDir: string, level = process.env['VIGIE_LOG_LEVEL'] ?? 'info'): Logger {
  const testDir = testLogDir();
  if (testDir !== null) {
    mkdirSync(testDir, { recursive: true });
    return createJsonLogger(join(testDir, `engine-${basename(dataDir)}-${process.pid}.log`), level);
  }
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return createJsonLogger(join(dir, 'vigie.log'), level);
}
