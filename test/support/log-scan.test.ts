import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanLogs } from './log-scan';
import { SECRET_PATTERNS, TEST_SECRETS } from './test-secrets';

describe('the log redaction scan', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-log-scan-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a planted test secret and names the file, the line and the secret (not its value)', async () => {
    await mkdir(join(dir, 'e2e'));
    await writeFile(join(dir, 'clean.log'), '{"msg":"polled","ref":"vault:smtp.password"}\n');
    await writeFile(
      join(dir, 'e2e', 'engine-1.log'),
      `{"msg":"ok"}\n{"msg":"smtp login","password":"${TEST_SECRETS.smtpPassword}"}\n`,
    );
    const result = scanLogs(dir, TEST_SECRETS, SECRET_PATTERNS);
    expect(result.files).toBe(2);
    expect(result.findings).toEqual([
      { file: relative(process.cwd(), join(dir, 'e2e', 'engine-1.log')), line: 2, secret: 'smtpPassword' },
    ]);
  });

  it('finds a private key block and a value hidden by JSON escaping', async () => {
    await writeFile(
      join(dir, 'a.log'),
      '{"err":"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn..."}\n{"x":"q\\"uote"}\n',
    );
    const result = scanLogs(dir, { quoted: 'q"uote' }, SECRET_PATTERNS);
    expect(result.findings.map((f) => [f.line, f.secret])).toEqual([
      [1, 'pattern -----BEGIN [A-Z ]*PRIVATE KEY-----'],
      [2, 'quoted'],
    ]);
  });

  it('passes clean logs and a missing folder', async () => {
    await writeFile(join(dir, 'a.log'), '{"msg":"password [redacted]"}\n');
    expect(scanLogs(dir, TEST_SECRETS, SECRET_PATTERNS).findings).toEqual([]);
    expect(scanLogs(join(dir, 'none'), TEST_SECRETS, SECRET_PATTERNS)).toEqual({
      files: 0,
      lines: 0,
      findings: [],
    });
  });
});
