/**
 * Last step of `npm run test:all`: scans every log the test run wrote (test-results/logs/, where
 * VIGIE_TEST_LOG_DIR points the engines and test/support/test-logger.ts the in-process ones) for
 * the known test secrets and private key blocks. Fails naming file and line. Before scanning, it
 * proves it can fail: a secret planted in a scratch log must be found.
 *
 * Run: npx tsx scripts/check-log-redaction.mts [DIR]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLogs } from '../test/support/log-scan';
import { SECRET_PATTERNS, TEST_SECRETS } from '../test/support/test-secrets';

const dir = process.argv[2] ?? process.env['VIGIE_TEST_LOG_DIR'] ?? 'test-results/logs';

const canaryDir = mkdtempSync(join(tmpdir(), 'vigie-redaction-canary-'));
try {
  writeFileSync(join(canaryDir, 'canary.log'), `{"password":"${TEST_SECRETS.redactionProbe}"}\n`);
  if (scanLogs(canaryDir, TEST_SECRETS, SECRET_PATTERNS).findings.length !== 1) {
    process.stdout.write('log redaction: the scan missed a planted secret; it cannot be trusted\n');
    process.exit(1);
  }
} finally {
  rmSync(canaryDir, { recursive: true, force: true });
}

const { files, lines, findings } = scanLogs(dir, TEST_SECRETS, SECRET_PATTERNS);
for (const f of findings) process.stdout.write(`${f.file}:${f.line}: test secret "${f.secret}" in a log\n`);
if (findings.length > 0) {
  process.stdout.write(`log redaction: FAILED, ${findings.length} secret(s) in the logs of ${dir}\n`);
  process.exit(1);
}
if (files === 0) {
  process.stdout.write(
    `log redaction: FAILED, no log in ${dir}: the test engines did not write where they should\n`,
  );
  process.exit(1);
}
process.stdout.write(`log redaction: ok, no test secret in ${files} log file(s), ${lines} lines (${dir})\n`);
