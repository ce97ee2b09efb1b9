import { describe, expect, it } from 'vitest';
import type { SnmpClient, SnmpTarget, SnmpValue, SnmpVarbind } from '../../../ports/snmp-client';
import { UpstreamError } from '../../../ports/upstream-error';
import { SYS_UPTIME_OID } from './evaluate-profile';
import { mibProfileSchema, type MibProfile } from './mib-profile-schema';
import { walkProfiles } from './walk-profiles';

const TARGET: SnmpTarget = {
  host: '192.0.2.10',
  port: 161,
  version: '2c',
  community: 'public',
  timeoutMs: 500,
};
const IF = '1.3.6.1.2.1.2.2.1';

/** An agent in memory: GETs and subtree walks over a sorted map, with injectable failures. */
class FakeAgent implements SnmpClient {
  readonly calls: string[] = [];
  failGet: (oids: readonly string[]) => UpstreamError | null = () => null;
  failWalk: (root: string) => UpstreamError | null = () => null;
  /** A multi-column walk fails as a whole when any of its columns fails alone. */
  failColumns: (roots: readonly string[]) => UpstreamError | null = (roots) =>
    roots.map((r) => this.failWalk(r)).find((e) => e !== null) ?? null;
  constructor(readonly values: Map<string, SnmpValue>) {}

  get(_t: SnmpTarget, oids: readonly string[], signal: AbortSignal): Promise<SnmpVarbind[]> {
    this.calls.push(`get ${oids.join(',')}`);
    if (signal.aborted) return Promise.reject(new UpstreamError('fake', 'ABORTED', 'aborted'));
    const err = this.failGet(oids);
    if (err) return Promise.reject(err);
    return Promise.resolve(
      oids.map((oid) => ({ oid, value: this.values.get(oid) ?? { type: 'noSuchObject' } })),
    );
  }

  subtree(_t: SnmpTarget, root: string, _max: number, signal: AbortSignal): Promise<SnmpVarbind[]> {
    this.calls.push(`walk ${root}`);
    if (signal.aborted) return Promise.reject(new UpstreamError('fake', 'ABORTED', 'aborted'));
    const err = this.failWalk(root);
    if (err) return Promise.reject(err);
    return Promise.resolve(this.under(root));
  }

  walkColumns(
    _t: SnmpTarget,
    roots: readonly string[],
    _max: number,
    signal: AbortSignal,
  ): Promise<SnmpVarbind[][]> {
    this.calls.push(`columns ${roots.join(',')}`);
    if (signal.aborted) return Promise.reject(new UpstreamError('fake', 'ABORTED', 'aborted'));
    const err = this.failColumns(roots);
    if (err) return Promise.reject(err);
    return Promise.resolve(roots.map((root) => this.under(root)));
  }

  private under(root: string): SnmpVarbind[] {
    return [...this.values]
      .filter(([oid]) => oid.startsWith(`${root}.`))
      .map(([oid, value]) => ({ oid, value }));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const profile: MibProfile = mibProfileSchema.parse({
  schemaVersion: 1,
  id: 'ports',
  name: 'ports',
  scalars: Array.from({ length: 5 }, (_, i) => ({
    name: `s${i}`,
    oid: `1.3.6.1.4.1.32473.3.${i + 1}.0`,
    type: 'gauge',
  })),
  tables: [
    {
      name: 'interfaces',
      index: `${IF}.1`,
      metrics: [
        { name: 'octets', column: `${IF}.10`, type: 'counter' },
        { name: 'oper', column: `${IF}.8`, type: 'gauge' },
      ],
    },
  ],
});

function agent(upTime: number, octets: number): FakeAgent {
  const values = new Map<string, SnmpValue>([
    [SYS_UPTIME_OID, { type: 'timeticks', value: upTime }],
    ...Array.from({ length: 5 }, (_, i): [string, SnmpValue] => [
      `1.3.6.1.4.1.32473.3.${i + 1}.0`,
      { type: 'integer', value: i },
    ]),
    [`${IF}.1.1`, { type: 'integer', value: 1 }],
    [`${IF}.8.1`, { type: 'integer', value: 1 }],
    [`${IF}.10.1`, { type: 'counter32', value: octets }],
  ]);
  return new FakeAgent(values);
}

function clock(...times: number[]): { now: () => number } {
  let i = 0;
  return { now: () => times[Math.min(i++, times.length - 1)] ?? 0 };
}

const never = (): AbortSignal => new AbortController().signal;

describe('walkProfiles', () => {
  it('GETs scalars in batches, walks columns, evaluates, and hands the state to the next poll', async () => {
    const first = agent(1000, 100);
    const one = await walkProfiles(first, TARGET, [profile], undefined, {
      signal: never(),
      clock: clock(10_000),
      getBatchSize: 4,
    });
    expect(first.calls).toEqual([
      `get ${SYS_UPTIME_OID},1.3.6.1.4.1.32473.3.1.0,1.3.6.1.4.1.32473.3.2.0,1.3.6.1.4.1.32473.3.3.0`,
      'get 1.3.6.1.4.1.32473.3.4.0,1.3.6.1.4.1.32473.3.5.0',
      `columns ${IF}.1,${IF}.8,${IF}.10`,
    ]);
    expect(one.requests).toEqual({ sent: 3, failed: 0 });
    expect(one.results[0]?.readings.find((r) => r.metric === 's4')?.value).toBe(4);
    const two = await walkProfiles(agent(2000, 1100), TARGET, [profile], one.states, {
      signal: never(),
      clock: clock(20_000),
    });
    expect(two.results[0]?.readings.find((r) => r.metric === 'octets')?.value).toBe(100);
    expect(two.at).toBe(20_000);
  });

  it('stops asking after a timeout and reports every value it did not get', async () => {
    const a = agent(1000, 100);
    a.failGet = () => new UpstreamError('snmp:192.0.2.10:161', 'TIMEOUT', 'SNMP timeout: no answer');
    const out = await walkProfiles(a, TARGET, [profile], undefined, { signal: never(), clock: clock(1) });
    expect(a.calls).toHaveLength(1);
    expect(out.stoppedBy).toMatchObject({ code: 'TIMEOUT' });
    expect(out.requests).toEqual({ sent: 1, failed: 1 });
    const result = out.results[0]!;
    expect(result.status).toBe('unknown');
    expect(result.readings.every((r) => r.value === null && r.reason?.code === 'requestFailed')).toBe(true);
    expect(result.tables).toEqual([expect.objectContaining({ rows: null })]);
  });

  it('asks OID by OID when the agent refuses a whole batch, so one bad OID loses only itself', async () => {
    const a = agent(1000, 100);
    const bad = '1.3.6.1.4.1.32473.3.2.0';
    a.failGet = (oids) => (oids.includes(bad) ? new UpstreamError('fake', 'PROTOCOL', 'genErr') : null);
    const out = await walkProfiles(a, TARGET, [profile], undefined, { signal: never(), clock: clock(1) });
    const readings = out.results[0]!.readings;
    expect(readings.find((r) => r.metric === 's1')?.reason).toEqual({
      code: 'requestFailed',
      detail: 'PROTOCOL: genErr',
    });
    expect(readings.find((r) => r.metric === 's0')?.value).toBe(0);
    expect(readings.find((r) => r.metric === 's4')?.value).toBe(4);
    expect(out.stoppedBy).toBeNull();
  });

  it('walks column by column when the multi-column walk fails with a protocol error, losing only the bad column', async () => {
    const a = agent(1000, 100);
    a.failWalk = (root) =>
      root === `${IF}.8` ? new UpstreamError('fake', 'PROTOCOL', 'OIDs must increase') : null;
    const out = await walkProfiles(a, TARGET, [profile], undefined, { signal: never(), clock: clock(1) });
    expect(a.calls.slice(1)).toEqual([
      `columns ${IF}.1,${IF}.8,${IF}.10`,
      `walk ${IF}.1`,
      `walk ${IF}.8`,
      `walk ${IF}.10`,
    ]);
    expect(out.requests).toEqual({ sent: 5, failed: 2 });
    const readings = out.results[0]!.readings;
    expect(readings.find((r) => r.metric === 'oper')?.reason?.code).toBe('requestFailed');
    expect(readings.find((r) => r.metric === 'octets')?.reason?.code).toBe('firstSample');
    expect(out.results[0]?.tables).toEqual([expect.objectContaining({ rows: 1 })]);
  });

  it('does not walk column by column after a timeout of the multi-column walk', async () => {
    const a = agent(1000, 100);
    a.failColumns = () => new UpstreamError('fake', 'TIMEOUT', 'SNMP timeout: no answer');
    const out = await walkProfiles(a, TARGET, [profile], undefined, { signal: never(), clock: clock(1) });
    expect(a.calls.filter((c) => c.startsWith('walk '))).toEqual([]);
    expect(out.stoppedBy).toMatchObject({ code: 'TIMEOUT' });
    expect(out.snapshot.failures.map((f) => f.oid)).toEqual([`${IF}.1`, `${IF}.8`, `${IF}.10`]);
  });

  it('propagates an abort and its own bugs instead of turning them into data', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      walkProfiles(agent(1, 1), TARGET, [profile], undefined, { signal: controller.signal, clock: clock(1) }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    const buggy = agent(1, 1);
    buggy.failWalk = () => {
      throw new RangeError('not a numeric OID');
    };
    await expect(
      walkProfiles(buggy, TARGET, [profile], undefined, { signal: never(), clock: clock(1) }),
    ).rejects.toThrow(RangeError);
  });

  it('runs requests in parallel when asked, still one attempt each', async () => {
    const a = agent(1000, 100);
    const out = await walkProfiles(a, TARGET, [profile], undefined, {
      signal: never(),
      clock: clock(1),
      concurrency: 3,
    });
    // Two GET batches (16 OIDs each at most: 6 here, so one) and one multi-column walk.
    expect(a.calls).toHaveLength(2);
    expect(out.requests.sent).toBe(2);
  });
});
