import dgram from 'node:dgram';
import { getEventListeners } from 'node:events';
import snmp from 'net-snmp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SnmpV2cTarget, SnmpVarbind } from '../../ports/snmp-client';
import { UpstreamError } from '../../ports/upstream-error';
import { NetSnmpClient, compareOids, decodeCounter64, decodeOctets } from './net-snmp-client';

// An in-process SNMP agent (net-snmp's createAgent) on a free loopback UDP port. net-snmp ships
// only base MIB text, so every provider is registered by numeric OID.

interface MibRequest {
  done(): void;
}
interface Mib {
  registerProvider(provider: object): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
}
interface TestAgent {
  getMib(): Mib;
  getAuthorizer(): { addCommunity(community: string): void };
  close(callback?: () => void): void;
  listener: { sockets: Record<string, dgram.Socket> };
}

const COMMUNITY = 'vigie-unit';
const SYS_DESCR = '1.3.6.1.2.1.1.1';
const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2';
const SYS_UP_TIME = '1.3.6.1.2.1.1.3';
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const AFTER_IF_TABLE = '1.3.6.1.2.1.2.3';
const ENT = '1.3.6.1.4.1.99999';
/**
 * Three one-column tables side by side whose columns have different row sets (a ragged table as
 * walked column by column): rows 1, 2, 3, 5; rows 2, 4; no row at all. Before ENT, so that ENT.8
 * stays the last object of the MIB.
 */
const RAGGED = '1.3.6.1.4.1.99998';
const RAGGED_ROWS: readonly (readonly number[])[] = [[1, 2, 3, 5], [2, 4], []];
const raggedColumn = (table: number): string => `${RAGGED}.${table + 1}.1.2`;
/**
 * Objects that fail or never answer sit before mib-2 in OID order, so that no GetBulk started in
 * the tables below can run into them.
 */
const TRAPS = '1.3.6.1.1.99999';
const BIG_COUNTER = 2n ** 53n + 1n;
const MAX_COUNTER = 2n ** 64n - 1n;

interface AgentFixture {
  readonly agent: TestAgent;
  readonly port: number;
  /** Requests for the "hanging" scalar whose handler never answers until released. */
  readonly hanging: MibRequest[];
  /** Resolves whenever the next hanging request arrives. */
  nextHang(): Promise<void>;
  /** Errors the agent reported (wrong community, ...): proof that a request reached it. */
  readonly agentErrors: Error[];
  nextAgentError(): Promise<void>;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

function counter64(value: bigint): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(value);
  return buf;
}

async function startAgent(): Promise<AgentFixture> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    const agentErrors: Error[] = [];
    const errorWaiters: (() => void)[] = [];
    const hangWaiters: (() => void)[] = [];
    const hanging: MibRequest[] = [];
    let bindFailure: ((err: Error) => void) | undefined;
    const agent = snmp.createAgent({ port, address: '127.0.0.1' }, (err: Error | null) => {
      if (err === null) return;
      if (bindFailure !== undefined) bindFailure(err);
      agentErrors.push(err);
      errorWaiters.splice(0).forEach((wake) => wake());
    }) as TestAgent;
    const listening = new Promise<void>((resolve, reject) => {
      bindFailure = reject;
      const sockets = Object.values(agent.listener.sockets);
      let pending = sockets.length;
      for (const socket of sockets) socket.once('listening', () => (--pending === 0 ? resolve() : undefined));
    });
    try {
      await listening;
    } catch (err: unknown) {
      agent.close();
      if (attempt < 3) continue;
      throw err;
    }
    bindFailure = undefined;
    populate(agent, hanging, hangWaiters);
    return {
      agent,
      port,
      hanging,
      agentErrors,
      nextHang: () => new Promise<void>((resolve) => hangWaiters.push(resolve)),
      nextAgentError: () => new Promise<void>((resolve) => errorWaiters.push(resolve)),
    };
  }
}

function populate(agent: TestAgent, hanging: MibRequest[], hangWaiters: (() => void)[]): void {
  agent.getAuthorizer().addCommunity(COMMUNITY);
  const mib = agent.getMib();
  const readOnly = snmp.MaxAccess['read-only'];
  const scalar = (name: string, oid: string, scalarType: snmp.ObjectType, value: unknown): void => {
    mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType, maxAccess: readOnly });
    mib.setScalarValue(name, value);
  };
  scalar('sysDescr', SYS_DESCR, snmp.ObjectType.OctetString, 'Vigie test agent, Zürich');
  scalar('sysObjectID', SYS_OBJECT_ID, snmp.ObjectType.OID, '1.3.6.1.4.1.99999.1');
  scalar('sysUpTime', SYS_UP_TIME, snmp.ObjectType.TimeTicks, 123_456);
  scalar('entInteger', `${ENT}.1`, snmp.ObjectType.Integer, -42);
  scalar('entCounter32', `${ENT}.2`, snmp.ObjectType.Counter, 4_294_967_295);
  scalar('entGauge32', `${ENT}.3`, snmp.ObjectType.Gauge, 1_000_000_000);
  scalar('entIp', `${ENT}.4`, snmp.ObjectType.IpAddress, '192.0.2.7');
  scalar(
    'entMac',
    `${ENT}.5`,
    snmp.ObjectType.OctetString,
    Buffer.from([0x00, 0x12, 0x79, 0x62, 0xf9, 0x40]),
  );
  scalar('entBigCounter', `${ENT}.6`, snmp.ObjectType.Counter64, counter64(BIG_COUNTER));
  scalar('entMaxCounter', `${ENT}.7`, snmp.ObjectType.Counter64, counter64(MAX_COUNTER));
  scalar('entEmpty', `${ENT}.8`, snmp.ObjectType.OctetString, '');
  mib.registerProvider({
    name: 'entSecret',
    type: snmp.MibProviderType.Scalar,
    oid: `${TRAPS}.9`,
    scalarType: snmp.ObjectType.Integer,
    maxAccess: snmp.MaxAccess['not-accessible'],
  });
  mib.setScalarValue('entSecret', 7);
  mib.registerProvider({
    name: 'entHang',
    type: snmp.MibProviderType.Scalar,
    oid: `${TRAPS}.99`,
    scalarType: snmp.ObjectType.Integer,
    maxAccess: readOnly,
    handler: (request: MibRequest) => {
      hanging.push(request);
      hangWaiters.splice(0).forEach((wake) => wake());
    },
  });
  mib.setScalarValue('entHang', 1);

  mib.registerProvider({
    name: 'ifEntry',
    type: snmp.MibProviderType.Table,
    oid: IF_ENTRY,
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: [
      { number: 1, name: 'ifIndex', type: snmp.ObjectType.Integer, maxAccess: readOnly },
      { number: 2, name: 'ifDescr', type: snmp.ObjectType.OctetString, maxAccess: readOnly },
      { number: 10, name: 'ifInOctets', type: snmp.ObjectType.Counter, maxAccess: readOnly },
    ],
    tableIndex: [{ columnName: 'ifIndex' }],
  });
  for (const [index, descr, octets] of [
    [1, 'lo', 100],
    [2, 'eth0', 200],
    [3, 'eth1', 300],
  ] as const) {
    mib.addTableRow('ifEntry', [index, descr, octets]);
  }
  RAGGED_ROWS.forEach((rows, table) => {
    const name = `ragged${table}`;
    mib.registerProvider({
      name,
      type: snmp.MibProviderType.Table,
      oid: `${RAGGED}.${table + 1}.1`,
      maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: [
        { number: 1, name: `${name}Index`, type: snmp.ObjectType.Integer, maxAccess: readOnly },
        { number: 2, name: `${name}Value`, type: snmp.ObjectType.OctetString, maxAccess: readOnly },
      ],
      tableIndex: [{ columnName: `${name}Index` }],
    });
    for (const row of rows) mib.addTableRow(name, [row, `t${table}r${row}`]);
  });
  // Right after ifTable: a walk that does not stop at the end of the subtree would return it.
  scalar('ifNumberNext', AFTER_IF_TABLE, snmp.ObjectType.Integer, 3);
}

function signal(): AbortSignal {
  return new AbortController().signal;
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected the promise to reject');
}

describe('NetSnmpClient against an in-process net-snmp agent', () => {
  let fixture: AgentFixture;
  let client: NetSnmpClient;
  let target: SnmpV2cTarget;

  beforeAll(async () => {
    fixture = await startAgent();
    target = { host: '127.0.0.1', port: fixture.port, version: '2c', community: COMMUNITY, timeoutMs: 2_000 };
  });

  afterAll(async () => {
    // Release requests still parked in the hanging handler so the agent can close cleanly.
    fixture.hanging.splice(0).forEach((request) => request.done());
    await new Promise<void>((resolve) => fixture.agent.close(resolve));
  });

  beforeEach(() => {
    client = new NetSnmpClient();
  });

  afterEach(async () => {
    await client.close();
  });

  it('answers 40 sessions (one per community) through a pool of 3 sockets', async () => {
    const communities = Array.from({ length: 40 }, (_, i) => `pooled-${i}`);
    for (const c of communities) fixture.agent.getAuthorizer().addCommunity(c);
    const pooled = new NetSnmpClient({ maxSockets: 3 });
    try {
      const results = await Promise.all(
        communities.map((community) => pooled.get({ ...target, community }, [`${SYS_UP_TIME}.0`], signal())),
      );
      expect(results.map((r) => r[0]?.value)).toEqual(
        communities.map(() => ({ type: 'timeticks', value: 123_456 })),
      );
      expect(pooled.socketStats()).toMatchObject({ sockets: 3, sessions: 40 });
    } finally {
      await pooled.close();
    }
    expect(pooled.socketStats()).toMatchObject({ sockets: 0, sessions: 0 });
  });

  it('get decodes every scalar type, in the order the OIDs were asked', async () => {
    const oids = [
      `${ENT}.3.0`,
      `${SYS_DESCR}.0`,
      `${SYS_OBJECT_ID}.0`,
      `${SYS_UP_TIME}.0`,
      `${ENT}.1.0`,
      `${ENT}.2.0`,
      `${ENT}.4.0`,
      `${ENT}.5.0`,
      `${ENT}.8.0`,
    ];
    const result = await client.get(target, oids, signal());
    expect(result).toEqual<SnmpVarbind[]>([
      { oid: `${ENT}.3.0`, value: { type: 'gauge32', value: 1_000_000_000 } },
      { oid: `${SYS_DESCR}.0`, value: { type: 'octets', value: 'Vigie test agent, Zürich' } },
      { oid: `${SYS_OBJECT_ID}.0`, value: { type: 'oid', value: '1.3.6.1.4.1.99999.1' } },
      { oid: `${SYS_UP_TIME}.0`, value: { type: 'timeticks', value: 123_456 } },
      { oid: `${ENT}.1.0`, value: { type: 'integer', value: -42 } },
      { oid: `${ENT}.2.0`, value: { type: 'counter32', value: 4_294_967_295 } },
      { oid: `${ENT}.4.0`, value: { type: 'ipaddress', value: '192.0.2.7' } },
      { oid: `${ENT}.5.0`, value: { type: 'octets', value: '0x00127962f940' } },
      { oid: `${ENT}.8.0`, value: { type: 'octets', value: '' } },
    ]);
  });

  it('get accepts OIDs written with a leading dot and answers them without it', async () => {
    const [vb] = await client.get(target, [`.${SYS_UP_TIME}.0`], signal());
    expect(vb).toEqual({ oid: `${SYS_UP_TIME}.0`, value: { type: 'timeticks', value: 123_456 } });
  });

  it('get keeps Counter64 values above 2^53 exact as bigint', async () => {
    const result = await client.get(target, [`${ENT}.6.0`, `${ENT}.7.0`], signal());
    expect(result.map((vb) => vb.value)).toEqual([
      { type: 'counter64', value: BIG_COUNTER },
      { type: 'counter64', value: MAX_COUNTER },
    ]);
    // The obvious `Number(...)` decoding would have rounded 2^53 + 1 down to 2^53.
    expect(result[0]?.value).not.toEqual({ type: 'counter64', value: 2n ** 53n });
  });

  it('get reports noSuchObject and noSuchInstance explicitly, never as a zero', async () => {
    const result = await client.get(target, [`${ENT}.12345.0`, `${SYS_DESCR}.7`, `${SYS_DESCR}.0`], signal());
    expect(result.map((vb) => vb.value.type)).toEqual(['noSuchObject', 'noSuchInstance', 'octets']);
  });

  it('subtree returns exactly the rows of a table, in order, and stops at its end', async () => {
    // maxRepetitions 2 forces several GetBulk pages, and the last one runs past the table.
    const rows = await client.subtree(target, '1.3.6.1.2.1.2.2', 2, signal());
    expect(rows).toEqual<SnmpVarbind[]>([
      { oid: `${IF_ENTRY}.1.1`, value: { type: 'integer', value: 1 } },
      { oid: `${IF_ENTRY}.1.2`, value: { type: 'integer', value: 2 } },
      { oid: `${IF_ENTRY}.1.3`, value: { type: 'integer', value: 3 } },
      { oid: `${IF_ENTRY}.2.1`, value: { type: 'octets', value: 'lo' } },
      { oid: `${IF_ENTRY}.2.2`, value: { type: 'octets', value: 'eth0' } },
      { oid: `${IF_ENTRY}.2.3`, value: { type: 'octets', value: 'eth1' } },
      { oid: `${IF_ENTRY}.10.1`, value: { type: 'counter32', value: 100 } },
      { oid: `${IF_ENTRY}.10.2`, value: { type: 'counter32', value: 200 } },
      { oid: `${IF_ENTRY}.10.3`, value: { type: 'counter32', value: 300 } },
    ]);
    expect(rows.some((vb) => vb.oid.startsWith(AFTER_IF_TABLE))).toBe(false);
  });

  it('subtree of one column returns that column only, whatever maxRepetitions', async () => {
    for (const maxRepetitions of [1, 3, 50]) {
      const rows = await client.subtree(target, `${IF_ENTRY}.2`, maxRepetitions, signal());
      expect(rows.map((vb) => vb.oid)).toEqual([`${IF_ENTRY}.2.1`, `${IF_ENTRY}.2.2`, `${IF_ENTRY}.2.3`]);
    }
  });

  it('subtree does not confuse a sibling whose number starts with the same digits', async () => {
    // 1.3.6.1.2.1.2.2.1.1 is the ifIndex column; 1.3.6.1.2.1.2.2.1.10 (ifInOctets) is not under it.
    const rows = await client.subtree(target, `${IF_ENTRY}.1`, 10, signal());
    expect(rows.map((vb) => vb.oid)).toEqual([`${IF_ENTRY}.1.1`, `${IF_ENTRY}.1.2`, `${IF_ENTRY}.1.3`]);
  });

  it('subtree of the last object of the MIB stops on endOfMibView', async () => {
    const rows = await client.subtree(target, `${ENT}.8`, 5, signal());
    expect(rows).toEqual([{ oid: `${ENT}.8.0`, value: { type: 'octets', value: '' } }]);
  });

  it('subtree stops at the end of a branch that is followed by more objects', async () => {
    const rows = await client.subtree(target, AFTER_IF_TABLE, 5, signal());
    expect(rows).toEqual([{ oid: `${AFTER_IF_TABLE}.0`, value: { type: 'integer', value: 3 } }]);
  });

  it('subtree of an empty branch returns no varbinds', async () => {
    expect(await client.subtree(target, '1.3.6.1.2.1.2.2.1.77', 5, signal())).toEqual([]);
  });

  it('a wrong community times out, because agents stay silent', async () => {
    const wrong: SnmpV2cTarget = { ...target, community: 'not-the-community', timeoutMs: 300 };
    const reachedAgent = fixture.nextAgentError();
    const err = await rejection(client.get(wrong, [`${SYS_DESCR}.0`], signal()));
    await reachedAgent;
    expect(err.code).toBe('TIMEOUT');
    expect(err.source).toBe(`snmp:127.0.0.1:${fixture.port}`);
  });

  it('a socket error on send becomes UNREACHABLE', async () => {
    // An IPv6 address on net-snmp's udp4 socket: the send fails at once with EINVAL.
    const err = await rejection(client.get({ ...target, host: '::1' }, [`${SYS_DESCR}.0`], signal()));
    expect(err.code).toBe('UNREACHABLE');
    expect(err.source).toBe(`snmp:::1:${fixture.port}`);
  });

  it('an agent error-status becomes a PROTOCOL error', async () => {
    const err = await rejection(client.get(target, [`${TRAPS}.9.0`], signal()));
    expect(err.code).toBe('PROTOCOL');
    expect(err.message).toMatch(/NoAccess/);
  });

  it('an already aborted signal rejects with ABORTED without sending anything', async () => {
    const controller = new AbortController();
    controller.abort(new Error('operator left'));
    const before = fixture.hanging.length;
    const err = await rejection(client.get(target, [`${TRAPS}.99.0`], controller.signal));
    expect(err.code).toBe('ABORTED');
    // The agent handles datagrams in order: once a later request is answered, an aborted request
    // that had been sent would already have reached the hanging handler.
    await client.get(target, [`${SYS_DESCR}.0`], signal());
    expect(fixture.hanging.length).toBe(before);
  });

  it('aborting mid-request rejects with ABORTED at once, long before the timeout', async () => {
    const slow: SnmpV2cTarget = { ...target, timeoutMs: 60_000 };
    const controller = new AbortController();
    const arrived = fixture.nextHang();
    const pending = client.get(slow, [`${TRAPS}.99.0`], controller.signal);
    await arrived;
    controller.abort();
    const err = await rejection(pending);
    expect(err.code).toBe('ABORTED');
    expect(err.source).toBe(`snmp:127.0.0.1:${fixture.port}`);
  });

  it('each request gets the timeout of its own target, also on a shared session', async () => {
    // The first request parks in the hanging handler with a long timeout; the second one, on the
    // same (host, port, community) session, must give up after its own 200 ms (with the session's
    // 60 s it would run into the test timeout).
    const controller = new AbortController();
    const parked = client.get({ ...target, timeoutMs: 60_000 }, [`${TRAPS}.99.0`], controller.signal);
    const err = await rejection(client.get({ ...target, timeoutMs: 200 }, [`${TRAPS}.99.0`], signal()));
    expect(err.code).toBe('TIMEOUT');
    controller.abort();
    expect((await rejection(parked)).code).toBe('ABORTED');
  });

  it('aborting a subtree walk between pages stops it with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(client.subtree(target, '1.3.6.1.2.1.2.2', 1, controller.signal));
    expect(err.code).toBe('ABORTED');
  });

  it('close rejects requests still in flight with ABORTED and later calls too', async () => {
    const slow: SnmpV2cTarget = { ...target, timeoutMs: 60_000 };
    const arrived = fixture.nextHang();
    const pending = client.get(slow, [`${TRAPS}.99.0`], signal());
    await arrived;
    await client.close();
    expect((await rejection(pending)).code).toBe('ABORTED');
    expect((await rejection(client.get(target, [`${SYS_DESCR}.0`], signal()))).code).toBe('ABORTED');
  });

  it('one session serves many concurrent requests to the same agent', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.get(target, [`${SYS_UP_TIME}.0`], signal())),
    );
    expect(results.every((r) => r[0]?.value.type === 'timeticks')).toBe(true);
  });

  it('requests sharing one signal, as the collector polls, add one abort listener and all abort', async () => {
    const controller = new AbortController();
    const slow: SnmpV2cTarget = { ...target, timeoutMs: 60_000 };
    const arrived = Array.from({ length: 12 }, () => fixture.nextHang());
    const pending = Array.from({ length: 12 }, () =>
      rejection(client.get(slow, [`${TRAPS}.99.0`], controller.signal)),
    );
    const answered = await Promise.all(
      Array.from({ length: 12 }, () => client.get(target, [`${SYS_UP_TIME}.0`], controller.signal)),
    );
    expect(answered).toHaveLength(12);
    await Promise.all(arrived);
    // A listener per request would be 12 here, past Node's limit of 10 (MaxListenersExceededWarning).
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect((await Promise.all(pending)).map((err) => err.code)).toEqual(Array(12).fill('ABORTED'));
  });

  it('rejects non-numeric OIDs and impossible targets before sending, as RangeError', async () => {
    await expect(client.get(target, ['sysDescr.0'], signal())).rejects.toThrow(RangeError);
    await expect(client.subtree(target, '1.3.6.1.2.1.2.2', 0, signal())).rejects.toThrow(RangeError);
    await expect(client.get({ ...target, port: 0 }, [`${SYS_DESCR}.0`], signal())).rejects.toThrow(
      RangeError,
    );
    await expect(client.get({ ...target, timeoutMs: 0 }, [`${SYS_DESCR}.0`], signal())).rejects.toThrow(
      RangeError,
    );
  });

  /** What each column of a multi-column walk must read: its own rows, nothing of its neighbours. */
  const COLUMNS = [
    raggedColumn(0),
    raggedColumn(1),
    raggedColumn(2),
    `${IF_ENTRY}.2`,
    `${IF_ENTRY}.10`,
    // The last object of the MIB: its column ends on endOfMibView.
    `${ENT}.8`,
  ];
  const EXPECTED: SnmpVarbind[][] = [
    ...RAGGED_ROWS.map((rows, table) =>
      rows.map((row) => ({
        oid: `${raggedColumn(table)}.${row}`,
        value: { type: 'octets' as const, value: `t${table}r${row}` },
      })),
    ),
    ['lo', 'eth0', 'eth1'].map((d, i) => ({
      oid: `${IF_ENTRY}.2.${i + 1}`,
      value: { type: 'octets', value: d },
    })),
    [100, 200, 300].map((n, i) => ({
      oid: `${IF_ENTRY}.10.${i + 1}`,
      value: { type: 'counter32', value: n },
    })),
    [{ oid: `${ENT}.8.0`, value: { type: 'octets', value: '' } }],
  ];

  it('walkColumns reads each column of ragged tables exactly, with an empty column and one ending the MIB', async () => {
    for (const maxRepetitions of [1, 2, 3, 50]) {
      const columns = await client.walkColumns(target, COLUMNS, maxRepetitions, signal());
      expect(columns, `maxRepetitions ${maxRepetitions}`).toEqual(EXPECTED);
      // The same as one subtree walk per column.
      for (const [i, column] of COLUMNS.entries())
        expect(await client.subtree(target, column, maxRepetitions, signal())).toEqual(columns[i]);
    }
  });

  it('walkColumns keeps the order of the columns asked, also unsorted, nested or repeated', async () => {
    const asked = [`${IF_ENTRY}.10`, IF_ENTRY, raggedColumn(1), `${IF_ENTRY}.10`];
    const columns = await client.walkColumns(target, asked, 2, signal());
    expect(columns[0]).toEqual(EXPECTED[4]);
    expect(columns[1]).toEqual(await client.subtree(target, IF_ENTRY, 2, signal()));
    expect(columns[1]).toHaveLength(9);
    expect(columns[2]).toEqual(EXPECTED[1]);
    expect(columns[3]).toEqual(EXPECTED[4]);
    expect(await client.walkColumns(target, [], 5, signal())).toEqual([]);
  });

  it('walkColumns rejects bad arguments as RangeError and an aborted signal as ABORTED', async () => {
    await expect(client.walkColumns(target, ['ifDescr'], 5, signal())).rejects.toThrow(RangeError);
    await expect(client.walkColumns(target, [`${IF_ENTRY}.2`], 0, signal())).rejects.toThrow(RangeError);
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(client.walkColumns(target, COLUMNS, 2, controller.signal))).code).toBe('ABORTED');
  });

  describe('on the wire, through a relay that watches and alters what passes', () => {
    let relay: Relay;
    let relayed: SnmpV2cTarget;

    beforeEach(async () => {
      relay = await startRelay(fixture.port);
      relayed = { ...target, port: relay.port };
    });

    afterEach(async () => {
      await relay.close();
    });

    it('sends GetBulks carrying every column under way, each from its own last OID, fewer than one walk per column', async () => {
      // net-snmp's agent answers at most max-repetitions varbinds in all (a truncation RFC 3416
      // allows) and stops a page at the first endOfMibView: columns advance unevenly.
      for (const maxRepetitions of [2, 50]) {
        relay.requests.length = 0;
        const columns = await client.walkColumns(relayed, COLUMNS, maxRepetitions, signal());
        expect(columns).toEqual(EXPECTED);
        const multi = [...relay.requests];
        expect(multi[0]).toEqual({ pduTag: 0xa5, nonRepeaters: 0, maxRepetitions, oids: COLUMNS });
        expect(multi.every((r) => r.pduTag === 0xa5 && r.nonRepeaters === 0)).toBe(true);
        expect(multi.every((r) => r.maxRepetitions === maxRepetitions)).toBe(true);
        // Each OID asked is a column's root or the last OID that column read: per column, the
        // OIDs asked never go back (a column a truncated page left out is asked again from the
        // same OID), and a column that ended is not asked again.
        const read = new Set(columns.flat().map((vb) => vb.oid));
        for (const [i, root] of COLUMNS.entries()) {
          const asked = multi.flatMap((r) => r.oids.filter((o) => o === root || o.startsWith(`${root}.`)));
          expect(asked[0]).toBe(root);
          expect(asked.every((o) => o === root || read.has(o))).toBe(true);
          expect(asked.every((o, k) => k === 0 || compareOids(o, asked[k - 1]!) >= 0)).toBe(true);
          expect(new Set(asked).size).toBeLessThanOrEqual(columns[i]!.length + 1);
        }
        relay.requests.length = 0;
        for (const root of COLUMNS) await client.subtree(relayed, root, maxRepetitions, signal());
        const single = relay.requests.length;
        expect(multi.length, `maxRepetitions ${maxRepetitions}`).toBeLessThanOrEqual(single);
        if (maxRepetitions === 50) expect(multi.length).toBeLessThan(single / 2);
      }
    });

    it('asks again with half the repetitions, then half the columns, when the agent says tooBig', async () => {
      // The relay answers tooBig for any GetBulk that could carry more than 4 varbinds.
      relay.tooBigAbove = 4;
      const columns = await client.walkColumns(relayed, COLUMNS, 8, signal());
      expect(columns).toEqual(EXPECTED);
      const shapes = relay.requests.map((r) => `${r.oids.length}x${r.maxRepetitions}`);
      // 6 columns x 8, x 4, x 2, x 1 refused; then 3 columns x 1 at a time.
      expect(shapes.slice(0, 5)).toEqual(['6x8', '6x4', '6x2', '6x1', '3x1']);
      expect(relay.requests.slice(4).every((r) => r.oids.length * r.maxRepetitions <= 4)).toBe(true);
      expect(relay.tooBigSent).toBe(4);
    });

    it('reports tooBig as PROTOCOL when even one column of one row is too big', async () => {
      relay.tooBigAbove = 0;
      const err = await rejection(client.walkColumns(relayed, COLUMNS.slice(0, 2), 2, signal()));
      expect(err.code).toBe('PROTOCOL');
      expect(err.message).toMatch(/TooBig/);
      expect(relay.requests.map((r) => `${r.oids.length}x${r.maxRepetitions}`)).toEqual([
        '2x2',
        '2x1',
        '1x1',
      ]);
    });

    it('asks again for the columns a truncated answer left out, losing and repeating nothing', async () => {
      // Answers cut after 4 varbinds: the last columns of a page get nothing, or a partial row.
      relay.truncateTo = 4;
      expect(await client.walkColumns(relayed, COLUMNS, 50, signal())).toEqual(EXPECTED);
      expect(relay.truncated).toBeGreaterThan(0);
    });

    it('refuses an agent whose OIDs go back within one column, as PROTOCOL', async () => {
      // ifInOctets.3 comes back as ifInOctets.1: that column would never end.
      relay.rewrite = { from: `${IF_ENTRY}.10.3`, to: `${IF_ENTRY}.10.1` };
      const err = await rejection(
        client.walkColumns(relayed, [`${IF_ENTRY}.2`, `${IF_ENTRY}.10`], 2, signal()),
      );
      expect(err.code).toBe('PROTOCOL');
      expect(err.message).toMatch(/must increase/);
    });
  });
});

/** A GetBulk (or other request) as the relay saw it. */
interface SeenRequest {
  readonly pduTag: number;
  readonly nonRepeaters: number;
  readonly maxRepetitions: number;
  readonly oids: readonly string[];
}

/**
 * A UDP relay between the client and the in-process agent: it records each request, and on demand
 * answers tooBig itself, cuts answers short (RFC 3416 section 4.2.3 truncation) or rewrites an OID.
 */
interface Relay {
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Answer tooBig to a request asking for more than this many varbinds (OIDs x repetitions). */
  tooBigAbove: number;
  tooBigSent: number;
  /** Keep only the first N varbinds of each answer. */
  truncateTo: number;
  truncated: number;
  rewrite: { readonly from: string; readonly to: string } | undefined;
  close(): Promise<void>;
}

interface Tlv {
  readonly tag: number;
  /** Offset of the first content octet, and of the octet after the content. */
  readonly start: number;
  readonly end: number;
  /** Offset of the tag. */
  readonly at: number;
}

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at] ?? -1;
  let length = buf[at + 1] ?? 0;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (buf[start + i] ?? 0);
    start += octets;
  }
  return { tag, start, end: start + length, at };
}

function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const t = readTlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function decodeOid(bytes: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0)
        arcs.push(Math.min(2, Math.floor(value / 40)), value - Math.min(2, Math.floor(value / 40)) * 40);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

function intOf(buf: Buffer, t: Tlv): number {
  let v = 0;
  for (let i = t.start; i < t.end; i++) v = v * 256 + (buf[i] ?? 0);
  return v;
}

/** Message, PDU and the PDU's fields (request-id, two integers, varbind list) of a v2c message. */
function parseMessage(msg: Buffer): { fields: Tlv[]; pdu: Tlv; pduFields: Tlv[]; varbinds: Tlv[] } {
  const fields = children(msg, readTlv(msg, 0));
  const pdu = fields[2]!;
  const pduFields = children(msg, pdu);
  return { fields, pdu, pduFields, varbinds: children(msg, pduFields[3]!) };
}

async function startRelay(agentPort: number): Promise<Relay> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  /** Where the answer to each request id goes back. */
  const clients = new Map<number, dgram.RemoteInfo>();
  const relay: Relay = {
    port: socket.address().port,
    requests: [],
    tooBigAbove: Number.POSITIVE_INFINITY,
    tooBigSent: 0,
    truncateTo: Number.POSITIVE_INFINITY,
    truncated: 0,
    rewrite: undefined,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    const { fields, pdu, pduFields, varbinds } = parseMessage(msg);
    const requestId = intOf(msg, pduFields[0]!);
    if (rinfo.port !== agentPort) {
      const oids = varbinds.map((vb) => {
        const oid = children(msg, vb)[0]!;
        return decodeOid(msg.subarray(oid.start, oid.end));
      });
      const request: SeenRequest = {
        pduTag: pdu.tag,
        nonRepeaters: intOf(msg, pduFields[1]!),
        maxRepetitions: intOf(msg, pduFields[2]!),
        oids,
      };
      relay.requests.push(request);
      if (pdu.tag === 0xa5 && oids.length * request.maxRepetitions > relay.tooBigAbove) {
        // A Response with error-status tooBig(1), error-index 0, the request's varbinds.
        const body = Buffer.concat([
          msg.subarray(pduFields[0]!.at, pduFields[0]!.end),
          tlv(0x02, Buffer.from([1])),
          tlv(0x02, Buffer.from([0])),
          msg.subarray(pduFields[3]!.at, pduFields[3]!.end),
        ]);
        const head = Buffer.concat(fields.slice(0, 2).map((f) => msg.subarray(f.at, f.end)));
        relay.tooBigSent += 1;
        socket.send(tlv(0x30, Buffer.concat([head, tlv(0xa2, body)])), rinfo.port, rinfo.address);
        return;
      }
      clients.set(requestId, rinfo);
      socket.send(msg, agentPort, '127.0.0.1');
      return;
    }
    const back = clients.get(requestId);
    if (back === undefined) return;
    clients.delete(requestId);
    let kept: Buffer[] = varbinds.map((vb) => msg.subarray(vb.at, vb.end));
    if (kept.length > relay.truncateTo) {
      kept = kept.slice(0, relay.truncateTo);
      relay.truncated += 1;
    }
    const rewrite = relay.rewrite;
    if (rewrite !== undefined) {
      kept = kept.map((vb) => {
        const parsed = readTlv(vb, 0);
        const [oid, value] = children(vb, parsed);
        if (decodeOid(vb.subarray(oid!.start, oid!.end)) !== rewrite.from) return vb;
        const to = Buffer.from(rewrite.to.split('.').slice(2).map(Number));
        return tlv(
          0x30,
          Buffer.concat([
            tlv(0x06, Buffer.concat([Buffer.from([43]), to])),
            vb.subarray(value!.at, value!.end),
          ]),
        );
      });
    }
    const body = Buffer.concat([
      ...pduFields.slice(0, 3).map((f) => msg.subarray(f.at, f.end)),
      tlv(0x30, Buffer.concat(kept)),
    ]);
    const head = Buffer.concat(fields.slice(0, 2).map((f) => msg.subarray(f.at, f.end)));
    socket.send(tlv(0x30, Buffer.concat([head, tlv(pdu.tag, body)])), back.port, back.address);
  });
  return relay;
}

/** Version, community and PDU tag of a community-based SNMP message (RFC 3416, RFC 1901). */
function messageHeader(msg: Buffer): { version: number; community: string; pduTag: number } {
  let offset = 1;
  const first = msg[offset] ?? 0;
  offset += first & 0x80 ? 1 + (first & 0x7f) : 1;
  if (msg[offset] !== 0x02 || msg[offset + 1] !== 0x01) throw new Error('no version INTEGER');
  const version = msg[offset + 2] ?? -1;
  offset += 3;
  if (msg[offset] !== 0x04) throw new Error('no community OCTET STRING');
  const length = msg[offset + 1] ?? 0;
  const community = msg.subarray(offset + 2, offset + 2 + length).toString('latin1');
  return { version, community, pduTag: msg[offset + 2 + length] ?? -1 };
}

describe('NetSnmpClient on the wire, against a fake agent', () => {
  let socket: dgram.Socket;
  let port: number;
  let answerGarbage = false;
  const datagrams: Buffer[] = [];
  const received: (() => void)[] = [];

  beforeAll(async () => {
    socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    port = socket.address().port;
    socket.on('message', (msg, rinfo) => {
      datagrams.push(msg);
      // Bytes that are not an SNMP message, when asked to.
      if (answerGarbage) socket.send(Buffer.from([0x30, 0x03, 0xff, 0xff, 0xff]), rinfo.port, rinfo.address);
      received.splice(0).forEach((wake) => wake());
    });
  });

  afterEach(() => {
    datagrams.length = 0;
    answerGarbage = false;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => socket.close(resolve));
  });

  function fakeTarget(): SnmpV2cTarget {
    return { host: '127.0.0.1', port, version: '2c', community: 'wire', timeoutMs: 300 };
  }

  it('sends SNMPv2c GetRequests (net-snmp defaults to v1) and never retries', async () => {
    const client = new NetSnmpClient();
    try {
      const err = await rejection(client.get(fakeTarget(), ['1.3.6.1.2.1.1.1.0'], signal()));
      expect(err.code).toBe('TIMEOUT');
      // A retry would have been sent before the timeout was reported.
      expect(datagrams).toHaveLength(1);
      expect(messageHeader(datagrams[0]!)).toEqual({ version: 1, community: 'wire', pduTag: 0xa0 });
    } finally {
      await client.close();
    }
  });

  it('walks a subtree with SNMPv2c GetBulkRequests', async () => {
    const client = new NetSnmpClient();
    try {
      expect((await rejection(client.subtree(fakeTarget(), '1.3.6.1.2.1.2.2', 10, signal()))).code).toBe(
        'TIMEOUT',
      );
      expect(datagrams.map((d) => messageHeader(d))).toEqual([
        { version: 1, community: 'wire', pduTag: 0xa5 },
      ]);
    } finally {
      await client.close();
    }
  });

  it('an undecodable answer neither crashes the process nor settles the request early', async () => {
    answerGarbage = true;
    const sessionErrors: unknown[] = [];
    const client = new NetSnmpClient({ onSessionError: (_source, err) => sessionErrors.push(err) });
    try {
      const arrived = new Promise<void>((resolve) => received.push(resolve));
      const err = await rejection(client.get(fakeTarget(), ['1.3.6.1.2.1.1.1.0'], signal()));
      await arrived;
      expect(err.code).toBe('TIMEOUT');
      expect(sessionErrors.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});

describe('value decoding', () => {
  it('decodeCounter64 reads unsigned big-endian octets, with or without a leading zero', () => {
    expect(decodeCounter64(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(
      MAX_COUNTER,
    );
    expect(decodeCounter64(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(MAX_COUNTER);
    expect(decodeCounter64(Buffer.from([0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]))).toBe(BIG_COUNTER);
    expect(decodeCounter64(Buffer.from([0x00]))).toBe(0n);
  });

  it('decodeCounter64 refuses values wider than 64 bits and empty contents', () => {
    expect(() => decodeCounter64(Buffer.from([0x01, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(RangeError);
    expect(() => decodeCounter64(Buffer.alloc(0))).toThrow(RangeError);
  });

  it('decodeOctets keeps printable UTF-8 (with tabs and line breaks) and hexes the rest', () => {
    expect(decodeOctets(Buffer.from('Cisco IOS\r\nTechnical Support\t ok', 'utf8'))).toBe(
      'Cisco IOS\r\nTechnical Support\t ok',
    );
    expect(decodeOctets(Buffer.from('Zürich', 'utf8'))).toBe('Zürich');
    expect(decodeOctets(Buffer.from([0x41, 0x00]))).toBe('0x4100');
    expect(decodeOctets(Buffer.from([0xc3, 0x28]))).toBe('0xc328');
    expect(decodeOctets(Buffer.from([0x1b, 0x5b, 0x32, 0x4a]))).toBe('0x1b5b324a');
  });

  it('compareOids orders arc by arc, not as text', () => {
    expect(compareOids('1.3.6.1.2', '1.3.6.1.10')).toBe(-1);
    expect(compareOids('1.3.6.1', '1.3.6.1.0')).toBe(-1);
    expect(compareOids('1.3.6.2', '1.3.6.1.9')).toBe(1);
    expect(compareOids('1.3.6', '1.3.6')).toBe(0);
    expect(compareOids('1.3.6.1.9', '1.3.6.1.10.1')).toBe(-1);
    expect(compareOids('1.3.6.1.10', '1.3.6.1.9.99')).toBe(1);
    expect(compareOids('1.3.6.0', '1.3.6')).toBe(1);
  });

  it('compareOids is exact for arcs beyond 2^53 and reads leading zeros as numbers do', () => {
    expect(compareOids('1.3.9007199254740993', '1.3.9007199254740992')).toBe(1);
    expect(compareOids('1.3.4294967295', '1.3.4294967295')).toBe(0);
    expect(compareOids('1.3.007.1', '1.3.7.1')).toBe(0);
    expect(compareOids('1.3.0.1', '1.3.00.2')).toBe(-1);
  });

  it('decodeOctets hexes DEL and C1 controls, and gives printable ASCII back as it came', () => {
    expect(decodeOctets(Buffer.from('eth0 uplink: 10G/s (50%)', 'latin1'))).toBe('eth0 uplink: 10G/s (50%)');
    expect(decodeOctets(Buffer.alloc(0))).toBe('');
    expect(decodeOctets(Buffer.from([0x41, 0x7f]))).toBe('0x417f');
    expect(decodeOctets(Buffer.from('a\u0085b', 'utf8'))).toBe('0x61c28562');
    expect(decodeOctets(Buffer.from([0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e]))).toBe('0x001a2b3c4d5e');
  });
});
