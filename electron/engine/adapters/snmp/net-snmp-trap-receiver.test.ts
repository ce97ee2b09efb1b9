/**
 * NetSnmpTrapReceiver in-process, against notifications sent by net-snmp's own sessions and
 * hand-built datagrams. The same paths against real `snmptrap` live in
 * test/integration/snmp-traps.int.test.ts.
 */
import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceivedTrap, TrapDrop, TrapListener, TrapListenOptions } from '../../ports/trap-receiver';
import { UpstreamError } from '../../ports/upstream-error';
import { NetSnmpTrapReceiver, decodeNotification } from './net-snmp-trap-receiver';

const LOOPBACK = '127.0.0.1';
const ENGINE_ID = '8000b98380aabbccddeeff0011223344';
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';

function never(): AbortSignal {
  return new AbortController().signal;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

interface Harness {
  readonly listener: TrapListener;
  readonly port: number;
  readonly traps: ReceivedTrap[];
  readonly drops: TrapDrop[];
  readonly errors: Error[];
  /** Resolves with the next accepted notification or drop. */
  next(): Promise<ReceivedTrap | TrapDrop>;
}

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function startReceiver(
  overrides: Partial<TrapListenOptions> = {},
  monotonicNow?: () => number,
): Promise<Harness> {
  const port = overrides.port ?? (await freePort());
  const traps: ReceivedTrap[] = [];
  const drops: TrapDrop[] = [];
  const errors: Error[] = [];
  let waiter: ((item: ReceivedTrap | TrapDrop) => void) | undefined;
  const receiver = new NetSnmpTrapReceiver(monotonicNow === undefined ? {} : { monotonicNow });
  const listener = await receiver.listen(
    {
      address: LOOPBACK,
      port,
      communities: ['public'],
      users: [
        {
          name: 'trapper',
          level: 'authPriv',
          authProtocol: 'sha256',
          authPassphrase: 'auth-secret-1',
          privProtocol: 'aes',
          privPassphrase: 'priv-secret-1',
        },
      ],
      engineId: ENGINE_ID,
      ...overrides,
    },
    {
      onTrap: (trap) => {
        traps.push(trap);
        waiter?.(trap);
      },
      onDrop: (drop) => {
        drops.push(drop);
        waiter?.(drop);
      },
      onError: (err) => errors.push(err),
    },
    never(),
  );
  open.push(listener);
  return {
    listener,
    port,
    traps,
    drops,
    errors,
    next: () =>
      new Promise((resolve) => {
        waiter = (item) => {
          waiter = undefined;
          resolve(item);
        };
      }),
  };
}

function v2Session(port: number, community = 'public'): snmp.Session {
  const session = snmp.createSession(LOOPBACK, community, {
    version: snmp.Version2c,
    trapPort: port,
    retries: 0,
    timeout: 2_000,
  });
  session.on('error', () => undefined);
  open.push({ close: () => void session.close() });
  return session;
}

function sendRaw(port: number, datagram: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.send(datagram, port, LOOPBACK, (err) => {
      socket.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

// A minimal BER encoder for hand-built datagrams.
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
function berInt(n: number): Buffer {
  return tlv(0x02, Buffer.from([n]));
}
function berOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const bytes = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const parts = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) parts.unshift((v & 0x7f) | 0x80);
    bytes.push(...parts);
  }
  return tlv(0x06, Buffer.from(bytes));
}
function v2cNotification(pduTag: number, community: string, varbinds: Buffer[]): Buffer {
  const pdu = tlv(
    pduTag,
    Buffer.concat([berInt(7), berInt(0), berInt(0), tlv(0x30, Buffer.concat(varbinds))]),
  );
  return tlv(0x30, Buffer.concat([berInt(1), tlv(0x04, Buffer.from(community)), pdu]));
}
function vb(oid: string, value: Buffer): Buffer {
  return tlv(0x30, Buffer.concat([berOid(oid), value]));
}

describe('NetSnmpTrapReceiver', () => {
  it('decodes a v2c trap: source, community, snmpTrapOID, sysUpTime and typed varbinds', async () => {
    const h = await startReceiver();
    const received = h.next();
    v2Session(h.port).trap(
      LINK_DOWN,
      [
        { oid: '1.3.6.1.2.1.2.2.1.1.3', type: snmp.ObjectType.Integer, value: 3 },
        { oid: '1.3.6.1.2.1.31.1.1.1.1.3', type: snmp.ObjectType.OctetString, value: 'eth2' },
        {
          oid: '1.3.6.1.2.1.31.1.1.1.6.3',
          type: snmp.ObjectType.Counter64,
          value: Buffer.from('00ffffffffffffffff', 'hex'),
        },
      ],
      (err) => expect(err).toBeNull(),
    );
    const trap = (await received) as ReceivedTrap;
    expect(trap).toMatchObject({
      version: '2c',
      pdu: 'trap',
      community: 'public',
      user: null,
      engineId: null,
      trapOid: LINK_DOWN,
      source: { address: LOOPBACK, family: 'IPv4' },
    });
    expect(typeof trap.upTime).toBe('number');
    expect(trap.varbinds).toEqual([
      { oid: '1.3.6.1.2.1.2.2.1.1.3', value: { type: 'integer', value: 3 } },
      { oid: '1.3.6.1.2.1.31.1.1.1.1.3', value: { type: 'octets', value: 'eth2' } },
      { oid: '1.3.6.1.2.1.31.1.1.1.6.3', value: { type: 'counter64', value: 18_446_744_073_709_551_615n } },
    ]);
    expect(h.listener.stats()).toMatchObject({ datagrams: 1, accepted: 1, informs: 0 });
  });

  it('acknowledges a v2c inform before handing it over', async () => {
    const h = await startReceiver();
    const acked = new Promise<Error | null>((resolve) => {
      v2Session(h.port).inform('1.3.6.1.2.1.33.2.1', [], (err) => resolve(err));
    });
    expect(await acked).toBeNull();
    expect(h.traps).toHaveLength(1);
    expect(h.traps[0]).toMatchObject({ pdu: 'inform', trapOid: '1.3.6.1.2.1.33.2.1' });
    expect(h.listener.stats()).toMatchObject({ accepted: 1, informs: 1 });
  });

  it('drops and counts a wrong community without naming it', async () => {
    const h = await startReceiver();
    const dropped = h.next();
    v2Session(h.port, 'pub1ic').trap(LINK_DOWN, [], () => undefined);
    const drop = (await dropped) as TrapDrop;
    expect(drop.reason).toBe('badCommunity');
    expect(drop.detail).not.toContain('pub1ic');
    expect(drop.source?.address).toBe(LOOPBACK);
    expect(h.listener.stats().dropped.badCommunity).toBe(1);
    expect(h.traps).toEqual([]);
  });

  it('receives a v3 authPriv trap and reports the sender engine ID', async () => {
    const h = await startReceiver();
    const received = h.next();
    const session = snmp.createV3Session(
      LOOPBACK,
      {
        name: 'trapper',
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols.sha256,
        authKey: 'auth-secret-1',
        privProtocol: snmp.PrivProtocols.aes,
        privKey: 'priv-secret-1',
      },
      { trapPort: h.port, engineID: '8000000001020304' },
    );
    session.on('error', () => undefined);
    open.push({ close: () => void session.close() });
    session.trap(GENERIC_COLD_START, (err) => expect(err).toBeNull());
    const trap = (await received) as ReceivedTrap;
    expect(trap).toMatchObject({
      version: '3',
      user: 'trapper',
      community: null,
      engineId: '8000000001020304',
      trapOid: GENERIC_COLD_START,
    });
  });

  it('refuses a v3 trap resent more than 150 s after the same one (RFC 3414 time window), per engine', async () => {
    // net-snmp's own sessions send every v3 trap with engineBoots 0 and engineTime 0: the second
    // one, 151 s later, is exactly a replay of the first.
    let now = 5_000_000;
    const h = await startReceiver({}, () => now);
    const send = async (engineID: string): Promise<ReceivedTrap | TrapDrop> => {
      const next = h.next();
      const session = snmp.createV3Session(
        LOOPBACK,
        {
          name: 'trapper',
          level: snmp.SecurityLevel.authPriv,
          authProtocol: snmp.AuthProtocols.sha256,
          authKey: 'auth-secret-1',
          privProtocol: snmp.PrivProtocols.aes,
          privKey: 'priv-secret-1',
        },
        { trapPort: h.port, engineID },
      );
      session.on('error', () => undefined);
      open.push({ close: () => void session.close() });
      session.trap(GENERIC_COLD_START, (err) => expect(err).toBeNull());
      return next;
    };
    expect(await send('8000000001020304')).toMatchObject({ trapOid: GENERIC_COLD_START });
    now += 150_000;
    expect(await send('8000000001020304')).toMatchObject({ trapOid: GENERIC_COLD_START });
    now += 1_000;
    const refused = (await send('8000000001020304')) as TrapDrop;
    expect(refused).toMatchObject({ reason: 'notInTimeWindow', source: { address: LOOPBACK } });
    expect(refused.detail).toContain('8000000001020304');
    expect(refused.detail).toContain('"trapper"');
    expect(refused.detail).not.toMatch(/secret/);
    // Another engine has its own notion.
    expect(await send('8000000001020399')).toMatchObject({ engineId: '8000000001020399' });
    expect(h.listener.stats()).toMatchObject({ accepted: 3, dropped: { notInTimeWindow: 1 } });
  });

  it('drops a v3 trap with a wrong auth passphrase as an auth failure', async () => {
    const h = await startReceiver();
    const dropped = h.next();
    const session = snmp.createV3Session(
      LOOPBACK,
      {
        name: 'trapper',
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols.sha256,
        authKey: 'not-the-secret',
        privProtocol: snmp.PrivProtocols.aes,
        privKey: 'priv-secret-1',
      },
      { trapPort: h.port, engineID: '8000000001020304' },
    );
    session.on('error', () => undefined);
    open.push({ close: () => void session.close() });
    session.trap(GENERIC_COLD_START, () => undefined);
    const drop = (await dropped) as TrapDrop;
    // The wrong key may garble the decryption before the digest is checked.
    expect(['authFailure', 'decryptFailure']).toContain(drop.reason);
    expect(h.traps).toEqual([]);
  });

  it('drops an unauthenticated v3 trap with an empty user name, which net-snmp lets through', async () => {
    const h = await startReceiver();
    const dropped = h.next();
    const session = snmp.createV3Session(
      LOOPBACK,
      { name: '', level: snmp.SecurityLevel.noAuthNoPriv },
      {
        trapPort: h.port,
        engineID: '8000000001020304',
      },
    );
    session.on('error', () => undefined);
    open.push({ close: () => void session.close() });
    session.trap(GENERIC_COLD_START, () => undefined);
    expect(await dropped).toMatchObject({ reason: 'unknownUser' });
    expect(h.traps).toEqual([]);
  });

  it('counts a garbage datagram as malformed and keeps listening', async () => {
    const h = await startReceiver();
    const dropped = h.next();
    await sendRaw(h.port, Buffer.from('definitely not BER\n'));
    expect(await dropped).toMatchObject({ reason: 'malformed', source: { address: LOOPBACK } });
    const received = h.next();
    v2Session(h.port).trap(LINK_DOWN, [], () => undefined);
    expect(await received).toMatchObject({ trapOid: LINK_DOWN });
    expect(h.listener.stats()).toMatchObject({ datagrams: 2, accepted: 1, dropped: { malformed: 1 } });
  });

  it('survives an inform net-snmp can read but not acknowledge (a BitString varbind)', async () => {
    const h = await startReceiver();
    const dropped = h.next();
    const inform = v2cNotification(0xa6, 'public', [
      vb('1.3.6.1.2.1.1.3.0', tlv(0x43, Buffer.from([1]))),
      vb('1.3.6.1.6.3.1.1.4.1.0', berOid('1.3.6.1.4.1.99999.0.1')),
      vb('1.3.6.1.4.1.99999.1.1', tlv(0x03, Buffer.from([0x00, 0xff]))),
    ]);
    await sendRaw(h.port, inform);
    // net-snmp throws from inside its socket listener when re-encoding the acknowledgement.
    expect(await dropped).toMatchObject({
      reason: 'malformed',
      detail: expect.stringContaining('broke the SNMP decoder') as unknown,
    });
    // Still alive and listening.
    const received = h.next();
    v2Session(h.port).trap(LINK_DOWN, [], () => undefined);
    expect(await received).toMatchObject({ trapOid: LINK_DOWN });
  });

  it('drops a notification without snmpTrapOID.0 as malformed', async () => {
    const h = await startReceiver();
    const dropped = h.next();
    await sendRaw(
      h.port,
      v2cNotification(0xa7, 'public', [vb('1.3.6.1.2.1.1.3.0', tlv(0x43, Buffer.from([1])))]),
    );
    expect(await dropped).toMatchObject({
      reason: 'malformed',
      detail: 'notification without snmpTrapOID.0',
    });
  });

  it('refuses a port in use with ADDRESS_IN_USE, and frees its port on close', async () => {
    const h = await startReceiver();
    const again = new NetSnmpTrapReceiver().listen(
      { address: LOOPBACK, port: h.port, communities: [], users: [], engineId: ENGINE_ID },
      { onTrap: () => undefined, onDrop: () => undefined, onError: () => undefined },
      never(),
    );
    await expect(again).rejects.toMatchObject({ name: 'UpstreamError', code: 'ADDRESS_IN_USE' });
    await h.listener.close();
    await h.listener.close(); // idempotent
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(h.port, LOOPBACK, () => resolve());
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  });

  it('closes when its signal is aborted after binding', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const listener = await new NetSnmpTrapReceiver().listen(
      { address: LOOPBACK, port, communities: ['public'], users: [], engineId: ENGINE_ID },
      { onTrap: () => undefined, onDrop: () => undefined, onError: () => undefined },
      controller.signal,
    );
    open.push(listener);
    controller.abort();
    await listener.close();
    const rebound = await new NetSnmpTrapReceiver().listen(
      { address: LOOPBACK, port, communities: ['public'], users: [], engineId: ENGINE_ID },
      { onTrap: () => undefined, onDrop: () => undefined, onError: () => undefined },
      never(),
    );
    open.push(rebound);
    expect(rebound.address.port).toBe(port);
  });

  it('rejects an already aborted signal with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const listening = new NetSnmpTrapReceiver().listen(
      { address: LOOPBACK, port: await freePort(), communities: [], users: [], engineId: ENGINE_ID },
      { onTrap: () => undefined, onDrop: () => undefined, onError: () => undefined },
      controller.signal,
    );
    await expect(listening).rejects.toBeInstanceOf(UpstreamError);
    await expect(listening).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('refuses invalid options with a RangeError that never shows a passphrase', async () => {
    const base: TrapListenOptions = {
      address: LOOPBACK,
      port: 16_200,
      communities: ['public'],
      users: [],
      engineId: ENGINE_ID,
    };
    const handlers = { onTrap: () => undefined, onDrop: () => undefined, onError: () => undefined };
    const receiver = new NetSnmpTrapReceiver();
    await expect(receiver.listen({ ...base, address: 'localhost' }, handlers, never())).rejects.toThrow(
      RangeError,
    );
    await expect(receiver.listen({ ...base, port: 0 }, handlers, never())).rejects.toThrow(RangeError);
    await expect(receiver.listen({ ...base, engineId: '0x1234' }, handlers, never())).rejects.toThrow(
      RangeError,
    );
    await expect(receiver.listen({ ...base, communities: [''] }, handlers, never())).rejects.toThrow(
      RangeError,
    );
    const short = receiver.listen(
      {
        ...base,
        users: [{ name: 'u', level: 'authNoPriv', authProtocol: 'sha256', authPassphrase: 'short' }],
      },
      handlers,
      never(),
    );
    await expect(short).rejects.toThrow(RangeError);
    await expect(short).rejects.not.toThrow(/short/);
    const twice = receiver.listen(
      {
        ...base,
        users: [
          { name: 'u', level: 'authNoPriv', authProtocol: 'sha256', authPassphrase: 'long-enough-1' },
          { name: 'u', level: 'authNoPriv', authProtocol: 'sha512', authPassphrase: 'long-enough-2' },
        ],
      },
      handlers,
      never(),
    );
    await expect(twice).rejects.toThrow(/given twice/);
  });
});

const GENERIC_COLD_START = '1.3.6.1.6.3.1.1.5.1';

describe('decodeNotification', () => {
  const rinfo = { address: '10.0.0.9', port: 40000, family: 'IPv4', size: 1 };

  it('translates an SNMPv1 enterprise-specific trap as RFC 3584 says', () => {
    const result = decodeNotification(
      {
        pdu: {
          type: 0xa4,
          enterprise: '1.3.6.1.4.1.318',
          agentAddr: '10.0.0.7',
          generic: 6,
          specific: 5,
          upTime: 1234,
          varbinds: [{ oid: '1.3.6.1.4.1.318.1.1.1.2.2.1.0', type: 2, value: 90 }],
          community: 'public',
        },
        rinfo,
      },
      new Set(),
    );
    expect(result).toEqual({
      trap: {
        source: { address: '10.0.0.9', port: 40000, family: 'IPv4' },
        version: '1',
        pdu: 'trap',
        community: 'public',
        user: null,
        engineId: null,
        agentAddress: '10.0.0.7',
        trapOid: '1.3.6.1.4.1.318.0.5',
        upTime: 1234,
        varbinds: [{ oid: '1.3.6.1.4.1.318.1.1.1.2.2.1.0', value: { type: 'integer', value: 90 } }],
      },
    });
  });

  it('translates an SNMPv1 generic linkDown to snmpTraps.3', () => {
    const result = decodeNotification(
      {
        pdu: {
          type: 0xa4,
          enterprise: '1.3.6.1.4.1.9',
          agentAddr: '0.0.0.0',
          generic: 2,
          specific: 0,
          upTime: 1,
          varbinds: [],
        },
        rinfo,
      },
      new Set(),
    );
    expect(result).toMatchObject({ trap: { trapOid: LINK_DOWN, agentAddress: null } });
  });

  it('reads snmpTrapAddress.0 as the agent address of a proxied trap', () => {
    const result = decodeNotification(
      {
        pdu: {
          type: 0xa7,
          varbinds: [
            { oid: '1.3.6.1.2.1.1.3.0', type: 0x43, value: 5 },
            { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 0x06, value: LINK_DOWN },
            { oid: '1.3.6.1.6.3.18.1.3.0', type: 0x40, value: '192.0.2.10' },
          ],
          community: 'public',
        },
        rinfo,
      },
      new Set(),
    );
    expect(result).toMatchObject({ trap: { agentAddress: '192.0.2.10', upTime: 5 } });
  });

  it('drops hostile shapes instead of throwing', () => {
    for (const data of [
      null,
      42,
      { rinfo },
      { pdu: { type: 0xa7, varbinds: 'x' }, rinfo },
      { pdu: { type: 0xa7, varbinds: [{ oid: 'not.an.oid', type: 2, value: 1 }] }, rinfo },
      { pdu: { type: 0xa7, varbinds: [{ oid: '1.3.6', type: 0x46, value: Buffer.alloc(10, 0xff) }] }, rinfo },
      { pdu: { type: 0xa7, varbinds: [{ oid: '1.3.6', type: 0x99, value: 1 }] }, rinfo },
      { pdu: { type: 0xa0, varbinds: [] }, rinfo },
      { pdu: { type: 0xa4, enterprise: 'x', generic: 6 }, rinfo },
    ]) {
      expect(decodeNotification(data, new Set())).toHaveProperty('drop');
    }
  });
});
