import { describe, expect, it } from 'vitest';
import {
  attemptAfterExit,
  DEFAULT_RESTART_POLICY,
  engineArgs,
  parseHostMessage,
  restartDelayMs,
} from './engine-protocol';

describe('engine protocol helpers', () => {
  it('passes the data directory, and the config file when there is one', () => {
    expect(engineArgs({ dataDir: '/home/op/.config/Vigie' })).toEqual([
      '--data-dir',
      '/home/op/.config/Vigie',
    ]);
    expect(engineArgs({ dataDir: '/d', configFile: '/etc/vigie.yaml' })).toEqual([
      '--data-dir',
      '/d',
      '--config',
      '/etc/vigie.yaml',
    ]);
  });

  it('restart delays double from 500 ms and stop at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((a) => restartDelayMs(a))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('resets the attempt count only after a stable run', () => {
    expect(attemptAfterExit(5, DEFAULT_RESTART_POLICY.stableAfterMs)).toBe(0);
    expect(attemptAfterExit(5, 1_000)).toBe(5);
    expect(attemptAfterExit(5, null)).toBe(5);
  });

  it('parses the host messages of the protocol', () => {
    expect(parseHostMessage({ type: 'ready', version: '1', training: true })).toEqual({
      type: 'ready',
      version: '1',
      training: true,
    });
    expect(parseHostMessage({ type: 'result', id: 3, envelope: { ok: true, value: 1 } })).toEqual({
      type: 'result',
      id: 3,
      envelope: { ok: true, value: 1 },
    });
    expect(parseHostMessage({ type: 'event', event: 'overview.changed', payload: null })).toEqual({
      type: 'event',
      event: 'overview.changed',
      payload: null,
    });
    expect(parseHostMessage({ type: 'fatal', message: 'x' })).toEqual({ type: 'fatal', message: 'x' });
  });

  it.each([
    null,
    'ready',
    [],
    { type: 'ready' },
    { type: 'result', id: 1.5 },
    { type: 'result', id: '1' },
    { type: 'event', event: 3 },
    { type: 'invoke' },
  ])('rejects %j', (message) => {
    expect(parseHostMessage(message)).toBeNull();
  });
});
