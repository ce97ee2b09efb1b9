import { describe, expect, it } from 'vitest';
import { parseConfigText } from './load-config';

function traps(...lines: string[]): string {
  return ['traps:', ...lines.map((l) => `  ${l}`), ''].join('\n');
}

describe('traps.rateLimit', () => {
  it('has defaults: 20/s with a burst of 100 per source, 500/s and 2,000 in all, storms end after 60 s', () => {
    const r = parseConfigText(traps('port: 1162'));
    expect(r.ok && r.config.traps.rateLimit).toEqual({
      perSecond: 20,
      burst: 100,
      globalPerSecond: 500,
      globalBurst: 2_000,
      stormQuietSeconds: 60,
    });
  });

  it('reads the limits given', () => {
    const r = parseConfigText(
      traps('rateLimit: { perSecond: 0.5, burst: 10, globalPerSecond: 50, stormQuietSeconds: 300 }'),
    );
    expect(r.ok && r.config.traps.rateLimit).toMatchObject({
      perSecond: 0.5,
      burst: 10,
      globalPerSecond: 50,
      stormQuietSeconds: 300,
    });
  });

  it.each([
    ['perSecond: 0', 'perSecond'],
    ['perSecond: -3', 'perSecond'],
    ['burst: 2.5', 'burst'],
    ['burst: 0', 'burst'],
    ['stormQuietSeconds: 0', 'stormQuietSeconds'],
    ['rate: 20', ''],
    ['perSecond: 50, globalPerSecond: 10', 'globalPerSecond'],
    ['burst: 500, globalBurst: 100', 'globalBurst'],
  ])('refuses rateLimit { %s } naming the field', (fields, field) => {
    const r = parseConfigText(traps(`rateLimit: { ${fields} }`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues[0];
    expect(issue?.path).toBe(['traps', 'rateLimit', field].filter(Boolean).join('.'));
    expect(issue?.line).toBe(2);
  });
});
