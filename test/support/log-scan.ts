/**
 * The scan behind the last step of `npm run test:all`: every log a test run wrote, line by line,
 * searched for the known test secrets (test-secrets.ts) and for private key blocks. A finding
 * names the file, the line and which secret (by its name in TEST_SECRETS, never its value).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface LogFinding {
  readonly file: string;
  readonly line: number;
  /** Which secret: its name in the list, or the pattern's description. */
  readonly secret: string;
}

/** Every file under `dir` (the test runs' logs), recursively; none when `dir` does not exist. */
export function logFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? logFiles(path) : [path];
  });
}

export function scanLogs(
  dir: string,
  secrets: Readonly<Record<string, string>>,
  patterns: readonly RegExp[],
): { files: number; lines: number; findings: LogFinding[] } {
  const named = Object.entries(secrets).filter(([, value]) => value.length >= 4);
  const findings: LogFinding[] = [];
  let lines = 0;
  const files = logFiles(dir);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, i) => {
      lines += 1;
      for (const [name, value] of named)
        // JSON escapes (a quote, a backslash) would hide a value from a plain search: check both.
        if (line.includes(value) || line.includes(JSON.stringify(value).slice(1, -1)))
          findings.push({ file: relative(process.cwd(), file), line: i + 1, secret: name });
      for (const pattern of patterns)
        if (pattern.test(line))
          findings.push({
            file: relative(process.cwd(), file),
            line: i + 1,
            secret: `pattern ${pattern.source}`,
          });
    });
  }
  return { files: files.length, lines, findings };
}
