import { describe, expect, it } from 'vitest';
import { alarmsConfigIssues, alarmsConfigSchema } from './alarms-schema';

const known = {
  devices: new Set(['a-ups-1']),
  services: new Set(['billing']),
  zones: new Set(['zone-a']),
};

/** The paths and messages of a refused `alarms` section. */
function refused(input: unknown): { path: PropertyKey[]; message: string }[] {
  const result = alarmsConfigSchema.safeParse(input);
  if (result.success) throw new Error('expected the section to be refused');
  return result.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

const step = { afterMinutes: 0, targets: [{ person: 'alice' }] };

describe('alarmsConfigSchema', () => {
  it('fills every default in an empty or absent section', () => {
    const defaults = {
      thresholds: [],
      flap: { windowMinutes: 10, threshold: 6 },
      correlation: { windowMinutes: 5, burstCount: 5 },
      autoCloseResolvedMinutes: 720,
      people: [],
      teams: [],
      schedules: [],
      policies: [],
      channels: { webhooks: [] },
    };
    expect(alarmsConfigSchema.parse({})).toEqual(defaults);
    expect(alarmsConfigSchema.parse(undefined)).toEqual(defaults);
  });

  it('fills the defaults of rules, policies and steps', () => {
    const config = alarmsConfigSchema.parse({
      thresholds: [
        { id: 'hot', name: 'Hot', reading: 'temperature', direction: 'above', raise: 30, severity: 'major' },
      ],
      policies: [{ id: 'p', name: 'P', steps: [step] }],
    });
    expect(config.thresholds[0]).toMatchObject({
      forSeconds: 0,
      match: { devices: [], services: [], kinds: [], zones: [], clients: [] },
    });
    expect(config.policies[0]).toMatchObject({
      repeat: 0,
      repeatAfterMinutes: 30,
      steps: [{ afterMinutes: 0, when: 'notAcknowledged', channels: ['desktop', 'email'] }],
    });
    expect(config.policies[0]!.renotifyAcknowledgedAfterMinutes).toBeUndefined();
  });

  it('refuses a clear on the wrong side of raise, at path clear', () => {
    const rule = { id: 'r', name: 'R', reading: 'temperature', severity: 'major', raise: 30 } as const;
    expect(refused({ thresholds: [{ ...rule, direction: 'above', clear: 31 }] })).toEqual([
      { path: ['thresholds', 0, 'clear'], message: expect.stringContaining('at most raise (30)') as unknown },
    ]);
    expect(refused({ thresholds: [{ ...rule, direction: 'below', clear: 29 }] })).toEqual([
      {
        path: ['thresholds', 0, 'clear'],
        message: expect.stringContaining('at least raise (30)') as unknown,
      },
    ]);
    expect(() =>
      alarmsConfigSchema.parse({ thresholds: [{ ...rule, direction: 'above', clear: 28 }] }),
    ).not.toThrow();
  });

  it('refuses steps out of the order of their delays', () => {
    const issues = refused({
      policies: [
        {
          id: 'p',
          name: 'P',
          steps: [
            { ...step, afterMinutes: 15 },
            { ...step, afterMinutes: 5 },
          ],
        },
      ],
    });
    expect(issues).toEqual([
      { path: ['policies', 0, 'steps'], message: 'steps must be in the order of their afterMinutes' },
    ]);
  });

  it('refuses a channel that is not desktop, email or webhook:<id>', () => {
    for (const channel of ['sms', 'webhook:', 'webhook:Bad id', 'Email'])
      expect(
        refused({ policies: [{ id: 'p', name: 'P', steps: [{ ...step, channels: [channel] }] }] }),
      ).toEqual([
        {
          path: ['policies', 0, 'steps', 0, 'channels', 0],
          message: 'a channel is "desktop", "email" or "webhook:<id>"',
        },
      ]);
    expect(() =>
      alarmsConfigSchema.parse({
        policies: [
          { id: 'p', name: 'P', steps: [{ ...step, channels: ['desktop', 'email', 'webhook:itsm'] }] },
        ],
      }),
    ).not.toThrow();
  });
});

describe('alarmsConfigIssues', () => {
  it('finds nothing wrong in a section whose references all resolve', () => {
    const config = alarmsConfigSchema.parse({
      people: [{ id: 'alice', name: 'Alice' }],
      teams: [{ id: 'noc', name: 'NOC', members: ['alice'] }],
      schedules: [
        {
          id: 'primary',
          name: 'Primary',
          timeZone: 'Europe/Brussels',
          rotations: [
            { id: 'r', start: '2026-03-02T08:00', shift: { unit: 'days', count: 7 }, members: ['alice'] },
          ],
        },
      ],
      channels: { email: { host: 'smtp.example.org', from: 'vigie@example.org' } },
      policies: [
        {
          id: 'p',
          name: 'P',
          match: { devices: ['a-ups-1'], services: ['billing'], zones: ['zone-a'] },
          steps: [
            { afterMinutes: 0, targets: [{ person: 'alice' }, { team: 'noc' }, { schedule: 'primary' }] },
          ],
        },
      ],
    });
    expect(alarmsConfigIssues(config, known)).toEqual([]);
  });

  it('names each unknown reference at the path of the field to fix', () => {
    const config = alarmsConfigSchema.parse({
      people: [{ id: 'alice', name: 'Alice' }],
      teams: [{ id: 'noc', name: 'NOC', members: ['alice', 'zoe'] }],
      schedules: [
        {
          id: 'primary',
          name: 'Primary',
          timeZone: 'Europe/Brussels',
          rotations: [
            { id: 'r', start: '2026-03-02T08:00', shift: { unit: 'days', count: 7 }, members: ['yann'] },
          ],
        },
      ],
      channels: { webhooks: [{ id: 'itsm', url: 'https://itsm.example.org/hook' }] },
      thresholds: [
        {
          id: 'hot',
          name: 'Hot',
          match: { devices: ['a-ups-9'] },
          reading: 'temperature',
          direction: 'above',
          raise: 30,
          severity: 'major',
        },
      ],
      policies: [
        {
          id: 'p',
          name: 'P',
          match: { services: ['payroll'], zones: ['zone-x'] },
          steps: [
            {
              afterMinutes: 0,
              targets: [{ person: 'bob' }, { team: 'ops' }, { schedule: 'nights' }],
              channels: ['email', 'webhook:itsm', 'webhook:pager'],
            },
          ],
        },
      ],
    });
    expect(alarmsConfigIssues(config, known)).toEqual([
      { path: ['teams', 0, 'members', 1], message: 'unknown person "zoe"' },
      { path: ['schedules', 0, 'rotations', 0, 'members', 0], message: 'unknown person "yann"' },
      { path: ['thresholds', 0, 'match', 'devices', 0], message: 'unknown device "a-ups-9"' },
      { path: ['policies', 0, 'match', 'services', 0], message: 'unknown service "payroll"' },
      { path: ['policies', 0, 'match', 'zones', 0], message: 'unknown zone "zone-x"' },
      { path: ['policies', 0, 'steps', 0, 'targets', 0], message: 'unknown person "bob"' },
      { path: ['policies', 0, 'steps', 0, 'targets', 1], message: 'unknown team "ops"' },
      { path: ['policies', 0, 'steps', 0, 'targets', 2], message: 'unknown schedule "nights"' },
      {
        path: ['policies', 0, 'steps', 0, 'channels', 0],
        message: 'channel "email" needs alarms.channels.email (SMTP server)',
      },
      { path: ['policies', 0, 'steps', 0, 'channels', 2], message: 'unknown webhook "pager"' },
    ]);
  });

  it('names duplicate ids', () => {
    const config = alarmsConfigSchema.parse({
      people: [
        { id: 'alice', name: 'Alice' },
        { id: 'alice', name: 'Alice again' },
      ],
      policies: [
        { id: 'p', name: 'P', steps: [{ ...step, channels: ['desktop'] }] },
        { id: 'p', name: 'P again', steps: [{ ...step, channels: ['desktop'] }] },
      ],
    });
    expect(alarmsConfigIssues(config, known)).toEqual([
      { path: ['people', 1, 'id'], message: 'duplicate id "alice"' },
      { path: ['policies', 1, 'id'], message: 'duplicate id "p"' },
    ]);
  });
});
