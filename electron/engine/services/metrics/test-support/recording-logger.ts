/** A Logger that keeps what it is given, for tests that check what an operator would read. */
import type { Logger } from '../../../ports/logger';

/** One logged line. */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string | undefined;
}

/** Records every line (children share the record). */
export class RecordingLogger implements Logger {
  constructor(readonly entries: LogEntry[] = []) {}
  debug(obj: object, msg?: string): void {
    this.entries.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.entries.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
  child(_bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.entries);
  }
  /** Lines at `level`. */
  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
}
