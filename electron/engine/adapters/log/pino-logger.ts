/**
 * The engine's one structured logger: JSON lines in `<dataDir>/logs/vigie.log`, one child per
 * module, secrets redacted by path (community strings, tokens, keys, passwords).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from '../../ports/logger';

export const REDACT_PATHS = [
  'community',
  '*.community',
  '*.*.community',
  'token',
  '*.token',
  'key',
  '*.key',
  'operatorKey',
  '*.operatorKey',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
];

export function createFileLogger(dataDir: string, level = process.env.VIGIE_LOG_LEVEL ?? 'info'): Logger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Synchronous writes: after a crash the log must hold the lines that led to it.
  const destination = pino.destination({ dest: join(dir, 'vigie.log'), sync: true, mkdir: true });
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } },
    destination,
  );
}
