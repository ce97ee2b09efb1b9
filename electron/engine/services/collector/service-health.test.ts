import { describe, expect, it } from 'vitest';
import { judgeService } from './service-health';

const ok = (latencyMs = 50) => ({ ok: true, unreachable: false, latencyMs });
const err = { ok: false, unreachable: false, latencyMs: 30 };
const gone = { ok: false, unreachable: true, latencyMs: null };

describe('judgeService', () => {
  it('knows nothing before the first probe', () => {
    expect(judgeService([], 800)).toEqual({ status: 'unknown', condition: 'awaitingFirstPoll' });
  });
  it('is up when every probe answered fast', () => {
    expect(judgeService([ok(), ok(), ok()], 800)).toEqual({ status: 'up', condition: 'ok' });
  });
  it('is degraded when the last answer was slow', () => {
    expect(judgeService([ok(), ok(900)], 800)).toEqual({ status: 'degraded', condition: 'slow' });
  });
  it('is degraded, not down, with an occasional error', () => {
    expect(judgeService([ok(), err, ok(), ok(), ok()], 800)).toEqual({
      status: 'degraded',
      condition: 'failing',
    });
  });
  it('is down when most of the window fails and the last probe failed', () => {
    expect(judgeService([ok(), err, err, ok(), err], 800)).toEqual({ status: 'down', condition: 'failing' });
  });
  it('goes grey, never red or green, when the service stops answering at all', () => {
    expect(judgeService([gone, gone, gone], 800)).toEqual({ status: 'unknown', condition: 'unreachable' });
  });
});
