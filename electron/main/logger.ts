/**
 * The shell's structured log: JSON lines in <userData>/logs/main.log (DESIGN section 8), echoed
 * to stdout when unpackaged. Modules receive a child logger; tests pass a fake.
 */
import { join } from 'node:path';
import { pino } from 'pino';

export interface ShellLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: Record<string, unknown>): ShellLogger;
}

export function createShellLogger(logDir: string, echoToStdout: boolean): ShellLogger {
  const file = pino.destination({ dest: join(logDir, 'main.log'), mkdir: true, sync: false });
  const streams: pino.StreamEntry[] = [{ stream: file, level: 'info' }];
  if (echoToStdout) streams.push({ stream: process.stdout, level: 'debug' });
  return pino(
    {
      level: 'debug',
      base: { process: 'main' },
      // The shell handles no secrets; keep the rule anyway in case an engine line carries one.
      redact: { paths: ['*.password', '*.key', '*.token', '*.secret'], censor: '[redacted]' },
    },
    pino.multistream(streams),
  );
}
