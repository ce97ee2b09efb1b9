import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { posixCommandLine } from './remote-shell';

/** What a far-side `$SHELL -c <line>` would run: the shells found here (dash as sh, bash, zsh, busybox ash). */
const SHELLS = [
  ['/bin/sh'],
  ['/bin/bash'],
  ['/usr/bin/zsh'],
  ['/bin/busybox', 'sh'],
  ['/usr/bin/busybox', 'sh'],
].filter(([bin]) => bin !== undefined && existsSync(bin));

const HOSTILE = [
  'plain',
  'two words',
  '; rm -rf /tmp/vigie-should-not-exist',
  '&& id',
  '| id',
  '$(id)',
  '`id`',
  '${HOME}',
  "it's",
  "'",
  "''",
  '"double"',
  'back\\slash',
  'new\nline',
  'tab\there',
  'cr\rhere',
  '*',
  '?',
  '[a-z]',
  '~',
  '~root',
  '#comment',
  '!',
  'a=b',
  '--option',
  '-',
  '',
  ' ',
  '>out',
  '<in',
  '2>&1',
  'é ü 漢字 🙂',
  '\u001b[31mred',
  'x\'"$(`;\n',
  'L'.repeat(100_000),
];

/** Runs `printf '%s\0' <words>` through the shell and reads the words back. */
function roundTrip(shell: string[], words: readonly string[]): { words: string[]; status: number | null } {
  const line = posixCommandLine(['printf', '%s\\0', ...words]);
  const [bin, ...pre] = shell;
  const result = spawnSync(bin!, [...pre, '-c', line], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  const out = result.stdout.split('\0');
  out.pop();
  return { words: out, status: result.status };
}

describe('posixCommandLine', () => {
  it('leaves plain words unquoted and single-quotes the rest', () => {
    expect(posixCommandLine(['df', '-P'])).toBe('df -P');
    expect(posixCommandLine(['systemctl', 'status', '--', 'getty@tty1.service'])).toBe(
      "systemctl status -- 'getty@tty1.service'",
    );
    expect(posixCommandLine(['echo', "it's"])).toBe("echo 'it'\\''s'");
    expect(posixCommandLine(['echo', ''])).toBe("echo ''");
  });

  it('quotes a first word holding `=`, so the shell never reads it as an assignment', () => {
    expect(posixCommandLine(['a=b', 'x'])).toBe("'a=b' x");
    const result = spawnSync('/bin/sh', ['-c', posixCommandLine(['a=b'])], { encoding: 'utf8' });
    expect(result.status).toBe(127);
  });

  it('refuses an empty argv and NUL bytes', () => {
    expect(() => posixCommandLine([])).toThrow(RangeError);
    expect(() => posixCommandLine(['echo', 'a\0b'])).toThrow(/NUL/);
  });

  it.each(SHELLS.map((s) => [s.join(' '), s] as const))(
    'hands every hostile word to %s as one literal argument',
    (_name, shell) => {
      const { words, status } = roundTrip(shell, HOSTILE);
      expect(status).toBe(0);
      expect(words).toEqual(HOSTILE);
    },
  );

  it('found at least one POSIX shell to check against', () => {
    expect(SHELLS.length).toBeGreaterThan(0);
  });
});
