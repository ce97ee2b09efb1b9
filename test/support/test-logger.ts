/**
 * The logger of engines started inside a test process: JSON lines under test-results/logs/ (or
 * $VIGIE_TEST_LOG_DIR), with the engine's own redaction, so the end of `npm run test:all` can
 * scan them for test secrets (scripts/check-log-redaction.mts).
 */
import { join, resolve } from 'node:path';
import { createJsonLogger, testLogDir } from '../../electron/engine/adapters/log/pino-logger';
import type { Logger } from '../../electron/engine/ports/logger';

export function testLogger(name: string): Logger {
  const dir = testLogDir() ?? resolve('test-results', 'logs');
  return createJsonLogger(join(dir, `${name}-${process.pid}.log`), 'debug');
}
