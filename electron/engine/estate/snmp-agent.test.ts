import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterEach, describe, expect, it } from 'vitest';
import type { MibDefinition } from './mib-objects';
import { startSnmpAgent, type RunningSnmpAgent } from './snmp-agent';
import { FakeClock } from './test-support/fake-clock';
import { counter64Of, numberOf, openSession, textOf, type TestSession } from './test-support/snmp-session';

const COMMUNITY = 'drill';
const ENTRY = '1.3.6.1.4.1.32473.9.2.1';
const XENTRY = '1.3.6.1.4.1.32473.9.3.1';
const SENSOR_ENTRY = '1.3.6.1.4.1.32473.9.4.1';

function definition(clock: FakeClock, failing: { now: boolean }): MibDefinition {
  const start = clock.now();
  return {
    scalars: [
      {
        name: 'elapsed',
        oid: '1.3.6.1.4.1.32473.9.1.1',
        syntax: 'timeticks',
        read: (now) => (now - start) / 10,
      },
      { name: 'label', oid: '1.3.6.1.4.1.32473.9.1.2', syntax: 'octets', read: () => 'unit under test' },
      {
        name: 'fragile',
        oid: '1.3.6.1.4.1.32473.9.1.3',
        syntax: 'integer',
        read: () => {
          if (failing.now) throw new Error('sensor bus fault');
          return 7;
        },
      },
    ],
    tables: [
      {
        name: 'portEntry',
        entryOid: ENTRY,
        index: { kind: 'column', column: 1, name: 'portIndex', accessible: true },
        rows: [1, 49],
        columns: [{ number: 2, name: 'portName', syntax: 'octets', read: (row) => `port ${row}` }],
      },
      {
        name: 'portXEntry',
        entryOid: XENTRY,
        index: { kind: 'augments', table: 'portEntry' },
        rows: [1, 49],
        columns: [
          {
            number: 6,
            name: 'portOctets',
            syntax: 'counter64',
            read: (row, now) => 2n ** 60n + BigInt(row) * BigInt(now - start),
          },
        ],
      },
      {
        name: 'hiddenIndexEntry',
        entryOid: SENSOR_ENTRY,
        index: { kind: 'column', column: 1, name: 'probeIndex', accessible: false },
        rows: [3],
        columns: [{ number: 4, name: 'probeValue', syntax: 'integer', read: (row) => row * 100 }],
      },
    ],
  };
}

describe('startSnmpAgent', () => {
  const agents: RunningSnmpAgent[] = [];
  const sessions: TestSession[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.close();
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  async function start(
    clock: FakeClock,
    failing = { now: false },
    errors: Error[] = [],
  ): Promise<{ agent: RunningSnmpAgent; session: TestSession }> {
    const agent = await startSnmpAgent({
      host: '127.0.0.1',
      community: COMMUNITY,
      clock,
      onError: (e) => errors.push(e),
      mib: definition(clock, failing),
    });
    agents.push(agent);
    const session = openSession(agent.port, { community: COMMUNITY });
    sessions.push(session);
    return { agent, session };
  }

  it('binds a free loopback port rather than 161, a different one per agent', async () => {
    const clock = new FakeClock();
    const [one, two] = await Promise.all([start(clock), start(clock)]);
    expect(one.agent.port).not.toBe(161);
    expect(one.agent.port).not.toBe(two.agent.port);
  });

  it('computes scalar values at request time from the clock', async () => {
    const clock = new FakeClock();
    const { session } = await start(clock);
    clock.advance(12_340);
    const [elapsed, label] = await session.get(['1.3.6.1.4.1.32473.9.1.1.0', '1.3.6.1.4.1.32473.9.1.2.0']);
    expect(numberOf(elapsed)).toBe(1234);
    expect(textOf(label)).toBe('unit under test');
  });

  it('serves tables with a local index, an AUGMENTS table and a hidden (not-accessible) index', async () => {
    const clock = new FakeClock();
    const { session } = await start(clock);
    clock.advance(1000);
    const walked = await session.subtree('1.3.6.1.4.1.32473.9');
    const oids = walked.map((v) => v.oid);
    expect(oids).toEqual([
      '1.3.6.1.4.1.32473.9.1.1.0',
      '1.3.6.1.4.1.32473.9.1.2.0',
      '1.3.6.1.4.1.32473.9.1.3.0',
      `${ENTRY}.1.1`,
      `${ENTRY}.1.49`,
      `${ENTRY}.2.1`,
      `${ENTRY}.2.49`,
      `${XENTRY}.6.1`,
      `${XENTRY}.6.49`,
      // probeIndex (column 1) is not-accessible, so only the value column is served.
      `${SENSOR_ENTRY}.4.3`,
    ]);
    expect(counter64Of(walked[8])).toBe(2n ** 60n + 49n * 1000n);
    expect(numberOf(walked[9])).toBe(300);
  });

  it('answers noSuchObject / noSuchInstance for what it does not have', async () => {
    const { session } = await start(new FakeClock());
    const [missingObject, missingRow] = await session.get(['1.3.6.1.4.1.32473.99.1.0', `${ENTRY}.2.7`]);
    expect(missingObject?.type).toBe(snmp.ObjectType.NoSuchObject);
    expect(missingRow?.type).toBe(snmp.ObjectType.NoSuchInstance);
  });

  it('answers genErr when a reading fails, reports it, and keeps serving', async () => {
    const failing = { now: true };
    const errors: Error[] = [];
    const { session } = await start(new FakeClock(), failing, errors);
    await expect(session.get(['1.3.6.1.4.1.32473.9.1.3.0'])).rejects.toMatchObject({
      status: snmp.ErrorStatus.GeneralError,
    });
    expect(errors.some((e) => e.message.includes('1.3.6.1.4.1.32473.9.1.3.0'))).toBe(true);
    failing.now = false;
    expect(numberOf((await session.get(['1.3.6.1.4.1.32473.9.1.3.0']))[0])).toBe(7);
  });

  it('stays silent for another community and reports it', async () => {
    const errors: Error[] = [];
    const { agent } = await start(new FakeClock(), { now: false }, errors);
    const stranger = openSession(agent.port, { community: 'public', timeoutMs: 300, retries: 0 });
    sessions.push(stranger);
    await expect(stranger.get(['1.3.6.1.4.1.32473.9.1.2.0'])).rejects.toMatchObject({
      name: 'RequestTimedOutError',
    });
    expect(errors.some((e) => e.message.includes('community'))).toBe(true);
  });

  it('tries another port when the reserved one was taken in the meantime', async () => {
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.1', () => resolve()));
    try {
      const taken = squatter.address().port;
      const offered: number[] = [];
      const clock = new FakeClock();
      const agent = await startSnmpAgent({
        host: '127.0.0.1',
        community: COMMUNITY,
        clock,
        onError: () => undefined,
        mib: definition(clock, { now: false }),
        // First offer the port someone else holds, then let the kernel choose.
        reservePort: async (host, type) => {
          if (offered.length === 0) {
            offered.push(taken);
            return taken;
          }
          const free = await new Promise<number>((resolve) => {
            const probe = dgram.createSocket(type);
            probe.bind(0, host, () => {
              const { port } = probe.address();
              probe.close(() => resolve(port));
            });
          });
          offered.push(free);
          return free;
        },
      });
      agents.push(agent);
      expect(offered).toHaveLength(2);
      expect(agent.port).toBe(offered[1]);
      const session = openSession(agent.port, { community: COMMUNITY });
      sessions.push(session);
      expect(textOf((await session.get(['1.3.6.1.4.1.32473.9.1.2.0']))[0])).toBe('unit under test');
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('gives up with PORT_UNAVAILABLE when every attempt finds its port taken', async () => {
    const squatter = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.1', () => resolve()));
    try {
      const clock = new FakeClock();
      const taken = squatter.address().port;
      await expect(
        startSnmpAgent({
          host: '127.0.0.1',
          community: COMMUNITY,
          clock,
          onError: () => undefined,
          mib: definition(clock, { now: false }),
          maxAttempts: 3,
          reservePort: () => Promise.resolve(taken),
        }),
      ).rejects.toMatchObject({ name: 'EstateError', code: 'PORT_UNAVAILABLE' });
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('releases its UDP port on close, and close can be called twice', async () => {
    const { agent } = await start(new FakeClock());
    await agent.close();
    await agent.close();
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(agent.port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
