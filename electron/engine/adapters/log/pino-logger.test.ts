import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, createJsonLogger, REDACTED, SECRET_KEYS } from './pino-logger';

const PROBE = 'redact-me-4f1c9e';

describe('the engine logger', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('redacts every secret-bearing key at the top level and three levels down', async () => {
    const file = join(dir, 'x.log');
    const log = createJsonLogger(file);
    for (const key of SECRET_KEYS) {
      log.info({ [key]: PROBE }, `top ${key}`);
      log.info({ device: { [key]: PROBE } }, `one ${key}`);
      log.info({ device: { snmp: { [key]: PROBE } } }, `two ${key}`);
      log.child({ module: 'm' }).warn({ req: { headers: { opts: { [key]: PROBE } } } }, `three ${key}`);
    }
    log.info({ headers: { Authorization: `Bearer ${PROBE}`, 'x-api-key': PROBE } }, 'headers');
    const text = await readFile(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(SECRET_KEYS.length * 4 + 1);
    expect(text).not.toContain(PROBE);
    expect(text).toContain(REDACTED);
  });

  it('keeps what is not a secret: references, ids, messages', async () => {
    const file = join(dir, 'y.log');
    createJsonLogger(file).info({ device: 'dc1-ups-1', ref: 'vault:ups.community', latencyMs: 12 }, 'polled');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      device: 'dc1-ups-1',
      ref: 'vault:ups.community',
      latencyMs: 12,
      msg: 'polled',
    });
  });

  it('writes to <dataDir>/logs/vigie.log, or under VIGIE_TEST_LOG_DIR, one file per process', async () => {
    const before = process.env['VIGIE_TEST_LOG_DIR'];
    try {
      delete process.env['VIGIE_TEST_LOG_DIR'];
      createFileLogger(join(dir, 'data')).info({}, 'in data');
      expect(await readFile(join(dir, 'data', 'logs', 'vigie.log'), 'utf8')).toContain('in data');
      process.env['VIGIE_TEST_LOG_DIR'] = join(dir, 'test-logs');
      createFileLogger(join(dir, 'data2')).info({}, 'in test logs');
      expect(await readFile(join(dir, 'test-logs', `engine-data2-${process.pid}.log`), 'utf8')).toContain(
        'in test logs',
      );
    } finally {
      if (before === undefined) delete process.env['VIGIE_TEST_LOG_DIR'];
      else process.env['VIGIE_TEST_LOG_DIR'] = before;
    }
  });
});
