import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYS_UPTIME_OID } from './evaluate-profile';
import { loadMibProfiles } from './load-profiles';
import { mibProfileSchema, type MibProfile, type MibProfileInput } from './mib-profile-schema';
import { planProfiles } from './plan-profiles';

function profile(input: Omit<MibProfileInput, 'schemaVersion' | 'name'>): MibProfile {
  return mibProfileSchema.parse({ schemaVersion: 1, name: 'test', ...input });
}

describe('planProfiles', () => {
  it('GETs scalars, and sysUpTime only for profiles with counters or reboot detection', () => {
    const gauges = profile({
      id: 'g',
      scalars: [{ name: 'a', oid: '1.3.6.1.2.1.33.1.2.4.0', type: 'gauge' }],
    });
    expect(planProfiles([gauges])).toEqual({ get: ['1.3.6.1.2.1.33.1.2.4.0'], walk: [] });
    const rebooting = profile({ ...gauges, id: 'r', detectReboot: true });
    expect(planProfiles([rebooting]).get).toEqual([SYS_UPTIME_OID, '1.3.6.1.2.1.33.1.2.4.0']);
  });

  it('walks only the columns a table uses, each once, in OID order', () => {
    const p = profile({
      id: 't',
      tables: [
        {
          name: 'storage',
          index: '1.3.6.1.2.1.25.2.3.1.1',
          labels: [{ name: 'descr', column: '1.3.6.1.2.1.25.2.3.1.3' }],
          metrics: [
            {
              name: 'used',
              column: '1.3.6.1.2.1.25.2.3.1.6',
              denominator: '1.3.6.1.2.1.25.2.3.1.5',
              type: 'ratio',
              where: { column: '1.3.6.1.2.1.25.2.3.1.2', in: ['1.3.6.1.2.1.25.2.1.4'] },
            },
            {
              name: 'bytes',
              column: '1.3.6.1.2.1.25.2.3.1.6',
              multiplyBy: '1.3.6.1.2.1.25.2.3.1.4',
              type: 'gauge',
            },
          ],
        },
      ],
    });
    expect(planProfiles([p, p])).toEqual({
      get: [],
      walk: [1, 2, 3, 4, 5, 6].map((c) => `1.3.6.1.2.1.25.2.3.1.${c}`),
    });
  });

  it('drops a walk under another walk, and still GETs a scalar under a walked subtree', () => {
    const outer = profile({
      id: 'outer',
      tables: [
        {
          name: 'x',
          index: '1.3.6.1.4.1.32473.5',
          metrics: [{ name: 'v', column: '1.3.6.1.4.1.32473.5', type: 'gauge' }],
        },
      ],
    });
    const inner = profile({
      id: 'inner',
      scalars: [{ name: 's', oid: '1.3.6.1.4.1.32473.5.1.0', type: 'gauge' }],
      tables: [
        {
          name: 'y',
          index: '1.3.6.1.4.1.32473.5.2',
          metrics: [{ name: 'w', column: '1.3.6.1.4.1.32473.5.2', type: 'gauge' }],
        },
      ],
    });
    expect(planProfiles([inner, outer])).toEqual({
      get: ['1.3.6.1.4.1.32473.5.1.0'],
      walk: ['1.3.6.1.4.1.32473.5'],
    });
  });

  it('plans the built-in if-mib as column walks of ifTable and ifXTable plus sysUpTime', async () => {
    const ifMib = (await loadMibProfiles(path.resolve('resources/mib-profiles'))).find(
      (p) => p.id === 'if-mib',
    )!;
    expect(planProfiles([ifMib])).toEqual({
      get: [SYS_UPTIME_OID],
      walk: [
        '1.3.6.1.2.1.2.2.1.1',
        '1.3.6.1.2.1.2.2.1.2',
        '1.3.6.1.2.1.2.2.1.7',
        '1.3.6.1.2.1.2.2.1.8',
        '1.3.6.1.2.1.2.2.1.14',
        '1.3.6.1.2.1.2.2.1.20',
        '1.3.6.1.2.1.31.1.1.1.1',
        '1.3.6.1.2.1.31.1.1.1.6',
        '1.3.6.1.2.1.31.1.1.1.10',
        '1.3.6.1.2.1.31.1.1.1.15',
        '1.3.6.1.2.1.31.1.1.1.18',
        '1.3.6.1.2.1.31.1.1.1.19',
      ],
    });
  });
});
