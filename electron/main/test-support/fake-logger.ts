/** A logger that records what the code under test logged. */
import type { ShellLogger } from '../logger';

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

export function fakeLogger(lines: LoggedLine[] = []): ShellLogger & { readonly lines: LoggedLine[] } {
  const at =
    (level: LoggedLine['level']) =>
    (obj: object, msg: string): void => {
      lines.push({ level, obj, msg });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => fakeLogger(lines),
  };
}
