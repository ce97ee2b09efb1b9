/**
 * Real notifications from net-snmp's `snmptrap` and `snmpinform` through the whole trap path:
 * NetSnmpTrapReceiver (UDP on loopback) → TrapService (device lookup, mapping, batching) →
 * DuckDbTrapEventStore → subscribers. v2c traps and informs, v3 authPriv traps (SHA-256/AES
 * with the sender's engine ID, SHA-512/AES-256) and informs, and what must be dropped; v3
 * traps replayed outside the RFC 3414 time window (`snmptrap -Z boots,time`); APC PowerNet-MIB
 * traps (v2c and v1); and a burst over the per-source rate limit.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrapEvent } from '../../shared/domain/trap-event';
import { DuckDbTrapEventStore } from '../../electron/engine/adapters/duckdb/duckdb-trap-event-store';
import { NetSnmpTrapReceiver } from '../../electron/engine/adapters/snmp/net-snmp-trap-receiver';
import { systemClock } from '../../electron/engine/ports/clock';
import { silentLogger } from '../../electron/engine/ports/logger';
import type { TrapListenOptions } from '../../electron/engine/ports/trap-receiver';
import { UpstreamError } from '../../electron/engine/ports/upstream-error';
import { TrapService, type TrapOrigin } from '../../electron/engine/services/traps/trap-service';
import {
  LOOPBACK,
  freeUdpPort,
  requireBinaries,
  skipReason,
  waitFor,
  withSkipReason,
} from '../servers/common';
import type { TrapSender } from '../servers/snmptrap';
import { SNMPTRAP_REQUIREMENTS, makeTrapSender } from '../servers/snmptrap';

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';
const UPS_ON_BATTERY = '1.3.6.1.2.1.33.2.1';
const UPS_ALARM_ADDED = '1.3.6.1.2.1.33.2.3';
const UPS_ALARM_ON_BATTERY = '1.3.6.1.2.1.33.1.6.3.2';

/** The UPS's SNMPv3 engine ID, as configured on the device (and in Vigie's inventory). */
const UPS_ENGINE = '800000020109840301';
const RECEIVER_ENGINE = '8000b983801122334455667788';

const V3_USER = { name: 'ups-ops', auth: 'ups-auth-pass-1', priv: 'ups-priv-pass-1' } as const;
const V3_USER_512 = { name: 'ups-ops-512', auth: 'ups-auth-pass-2', priv: 'ups-priv-pass-2' } as const;

function options(port: number): TrapListenOptions {
  return {
    address: LOOPBACK,
    port,
    communities: ['public'],
    users: [
      {
        name: V3_USER.name,
        level: 'authPriv',
        authProtocol: 'sha256',
        authPassphrase: V3_USER.auth,
        privProtocol: 'aes',
        privPassphrase: V3_USER.priv,
      },
      {
        name: V3_USER_512.name,
        level: 'authPriv',
        authProtocol: 'sha512',
        authPassphrase: V3_USER_512.auth,
        // What net-snmp's `-x AES-256` sends (Blumenthal key extension).
        privProtocol: 'aes256b',
        privPassphrase: V3_USER_512.priv,
      },
    ],
    engineId: RECEIVER_ENGINE,
  };
}

/** The inventory of this test: a switch speaking v2c, a UPS speaking v3 bound to its engine ID. */
function lookupDevice(origin: TrapOrigin): string | null {
  if (origin.address !== LOOPBACK) return null;
  if (origin.version === '2c' && origin.community === 'public') return 'lab-switch';
  if (origin.version === '3' && origin.user === V3_USER.name && origin.engineId === UPS_ENGINE)
    return 'lab-ups';
  if (origin.version === '3' && origin.user === V3_USER_512.name) return 'lab-ups';
  return null;
}

const reason = skipReason('snmptrap', SNMPTRAP_REQUIREMENTS);

describe.skipIf(reason !== undefined)(withSkipReason('SNMP traps sent by snmptrap', reason), () => {
  let sender: TrapSender;
  let store: DuckDbTrapEventStore;
  let service: TrapService;
  let port = 0;
  const events: TrapEvent[] = [];
  const never = new AbortController().signal;

  /** The next event (from now on) that matches, within 15 s. */
  function nextEvent(match: (e: TrapEvent) => boolean): Promise<TrapEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error('no matching trap event within 15 s'));
      }, 15_000);
      const unsubscribe = service.subscribe((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(e);
      });
    });
  }

  const target = (): string => `udp:${LOOPBACK}:${port}`;
  const v2c = (community = 'public'): string[] => ['-v', '2c', '-c', community, target(), ''];
  const v3 = (user: typeof V3_USER | typeof V3_USER_512, auth: string, priv: string): string[] => [
    '-v',
    '3',
    '-l',
    'authPriv',
    '-u',
    user.name,
    '-a',
    auth,
    '-A',
    user.auth,
    '-x',
    priv,
    '-X',
    user.priv,
  ];

  async function startService(): Promise<void> {
    // A free port can be taken between the probe and the bind: try another one.
    for (let attempt = 1; ; attempt++) {
      port = await freeUdpPort();
      try {
        await service.start(options(port), never);
        return;
      } catch (err: unknown) {
        if (!(err instanceof UpstreamError && err.code === 'ADDRESS_IN_USE') || attempt >= 3) throw err;
      }
    }
  }

  beforeAll(async () => {
    requireBinaries(SNMPTRAP_REQUIREMENTS); // under CI=true, a missing snmptrap fails here
    sender = await makeTrapSender();
    store = await DuckDbTrapEventStore.open(':memory:');
    service = new TrapService({
      receiver: new NetSnmpTrapReceiver(),
      store,
      clock: systemClock,
      logger: silentLogger,
      lookupDevice,
    });
    service.subscribe((e) => events.push(e));
    await startService();
  });

  afterAll(async () => {
    await service?.stop();
    await store?.close();
    await sender?.close();
  });

  it('turns v2c linkDown and linkUp with ifIndex and ifName into events of the switch, linkUp clearing linkDown', async () => {
    const down = nextEvent((e) => e.kind === 'linkDown');
    await sender.send(
      'snmptrap',
      [...v2c(), LINK_DOWN],
      [
        ['1.3.6.1.2.1.2.2.1.1.3', 'i', '3'],
        ['1.3.6.1.2.1.2.2.1.7.3', 'i', '1'],
        ['1.3.6.1.2.1.2.2.1.8.3', 'i', '2'],
        ['1.3.6.1.2.1.31.1.1.1.1.3', 's', 'Gi1/0/3'],
      ],
    );
    const linkDown = await down;
    expect(linkDown).toMatchObject({
      deviceId: 'lab-switch',
      version: '2c',
      pdu: 'trap',
      trapOid: LINK_DOWN,
      severity: 'major',
      instance: '3',
      key: 'device%3Alab-switch/linkDown/3',
      attributes: { ifIndex: 3, ifAdminStatus: 'up', ifOperStatus: 'down', ifName: 'Gi1/0/3' },
      source: { address: LOOPBACK },
    });
    expect(linkDown.upTime).toEqual(expect.any(Number));

    const up = nextEvent((e) => e.kind === 'linkUp');
    await sender.send(
      'snmptrap',
      [...v2c(), LINK_UP],
      [
        ['1.3.6.1.2.1.2.2.1.1.3', 'i', '3'],
        ['1.3.6.1.2.1.2.2.1.8.3', 'i', '1'],
      ],
    );
    expect(await up).toMatchObject({ severity: 'cleared', clears: [linkDown.key] });

    const stored = await service.query({ deviceId: 'lab-switch', from: 0, to: Date.now(), limit: 10 }, never);
    expect(stored.map((e) => e.kind)).toEqual(expect.arrayContaining(['linkUp', 'linkDown']));
  });

  it('turns a v2c UPS on-battery trap into a major event', async () => {
    const onBattery = nextEvent((e) => e.kind === 'upsOnBattery');
    await sender.send(
      'snmptrap',
      [...v2c(), UPS_ON_BATTERY],
      [
        ['1.3.6.1.2.1.33.1.2.3.0', 'i', '42'],
        ['1.3.6.1.2.1.33.1.2.2.0', 'i', '15'],
      ],
    );
    expect(await onBattery).toMatchObject({
      severity: 'major',
      attributes: { upsEstimatedMinutesRemaining: 42, upsSecondsOnBattery: 15 },
    });
  });

  it('acknowledges a v2c inform (snmptrap -Ci returns only once acknowledged)', async () => {
    const inform = nextEvent((e) => e.kind === 'upsAlarmAdded' && e.version === '2c');
    await sender.send(
      'snmptrap',
      ['-Ci', '-t', '3', '-r', '1', ...v2c(), UPS_ALARM_ADDED],
      [['1.3.6.1.2.1.33.1.6.2.1.2.7', 'o', UPS_ALARM_ON_BATTERY]],
    );
    expect(await inform).toMatchObject({
      pdu: 'inform',
      instance: UPS_ALARM_ON_BATTERY,
      attributes: { upsAlarm: 'upsAlarmOnBattery' },
    });
  });

  it('receives a v3 authPriv SHA-256/AES trap sent with the device engine ID', async () => {
    const received = nextEvent((e) => e.version === '3' && e.engineId === UPS_ENGINE);
    await sender.send('snmptrap', [
      ...v3(V3_USER, 'SHA-256', 'AES'),
      '-e',
      `0x${UPS_ENGINE}`,
      target(),
      '',
      UPS_ON_BATTERY,
    ]);
    expect(await received).toMatchObject({
      deviceId: 'lab-ups',
      user: V3_USER.name,
      kind: 'upsOnBattery',
      key: 'device%3Alab-ups/upsOnBattery/',
    });
  });

  it('keeps a v3 trap from an engine the device is not bound to as an unknown source', async () => {
    const other = '800000020109849999';
    const received = nextEvent((e) => e.engineId === other);
    await sender.send('snmptrap', [
      ...v3(V3_USER, 'SHA-256', 'AES'),
      '-e',
      `0x${other}`,
      target(),
      '',
      UPS_ON_BATTERY,
    ]);
    expect(await received).toMatchObject({ deviceId: null, key: `source%3A${LOOPBACK}/upsOnBattery/` });
  });

  it('acknowledges a v3 SHA-512/AES-256 inform after engine discovery', async () => {
    const received = nextEvent((e) => e.version === '3' && e.pdu === 'inform');
    await sender.send(
      'snmpinform',
      [...v3(V3_USER_512, 'SHA-512', 'AES-256'), '-t', '3', '-r', '1', target(), '', UPS_ALARM_ADDED],
      [['1.3.6.1.2.1.33.1.6.2.1.2.4', 'o', '1.3.6.1.2.1.33.1.6.3.3']],
    );
    expect(await received).toMatchObject({
      deviceId: 'lab-ups',
      user: V3_USER_512.name,
      severity: 'critical',
      attributes: { upsAlarm: 'upsAlarmLowBattery' },
    });
  });

  it('drops and counts a wrong community, a wrong v3 passphrase and a garbage datagram', async () => {
    const before = service.stats();
    const count = events.length;
    await sender.send('snmptrap', [...v2c('not-public'), LINK_DOWN]);
    await sender.send('snmptrap', [
      '-v',
      '3',
      '-l',
      'authPriv',
      '-u',
      V3_USER.name,
      '-a',
      'SHA-256',
      '-A',
      'wrong-auth-pass',
      '-x',
      'AES',
      '-X',
      V3_USER.priv,
      '-e',
      `0x${UPS_ENGINE}`,
      target(),
      '',
      LINK_DOWN,
    ]);
    await new Promise<void>((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.send(Buffer.from('\x30\x82\xff\xffgarbage'), port, LOOPBACK, (err) => {
        socket.close();
        if (err) reject(err);
        else resolve();
      });
    });
    const dropped = (): Record<string, number> => service.stats().receiver?.dropped ?? {};
    await waitFor(
      () =>
        Promise.resolve(
          dropped().badCommunity === (before.receiver?.dropped.badCommunity ?? 0) + 1 &&
            (dropped().authFailure ?? 0) + (dropped().decryptFailure ?? 0) ===
              (before.receiver?.dropped.authFailure ?? 0) +
                (before.receiver?.dropped.decryptFailure ?? 0) +
                1 &&
            dropped().malformed === (before.receiver?.dropped.malformed ?? 0) + 1,
        ),
      { what: 'three dropped datagrams counted', deadlineMs: 10_000 },
    );
    await service.flush();
    expect(events.length).toBe(count);
  });

  it('refuses v3 traps outside the time window of their engine (snmptrap -Z boots,time), and counts them', async () => {
    // An engine of its own: the notion starts with the first trap below.
    const engine = '800000020109847777';
    const dropped = (): number => service.stats().receiver?.dropped.notInTimeWindow ?? 0;
    const before = dropped();
    const send = (bootsTime: string, from = engine): Promise<string> =>
      sender.send('snmptrap', [
        ...v3(V3_USER, 'SHA-256', 'AES'),
        '-e',
        `0x${from}`,
        '-Z',
        bootsTime,
        target(),
        '',
        '1.3.6.1.6.3.1.1.5.1',
      ]);
    const first = nextEvent((e) => e.engineId === engine);
    await send('5,10000');
    expect(await first).toMatchObject({ kind: 'coldStart', version: '3' });

    // Captured earlier (1,000 s older), sent again: refused, whatever its digest.
    await send('5,9000');
    // An older boot of the same engine: refused.
    await send('4,20000');
    // snmpEngineBoots latched at its maximum: refused (another engine: a latched one refuses
    // everything after, as RFC 3414 wants).
    await send('2147483647,1', '800000020109848888');
    await waitFor(() => Promise.resolve(dropped() === before + 3), {
      what: 'three v3 traps refused as notInTimeWindow',
      deadlineMs: 10_000,
    });

    // Within 150 s of the latest: still accepted (RFC 3414 allows it).
    const within = nextEvent((e) => e.engineId === engine);
    await send('5,9900');
    expect(await within).toMatchObject({ kind: 'coldStart' });
    await service.flush();
    expect(events.filter((e) => e.engineId === engine)).toHaveLength(2);
    expect(dropped()).toBe(before + 3);
  });

  it('maps APC PowerNet-MIB on-battery and power-restored (v2c) as UPS-MIB ones, the second clearing the first', async () => {
    const onBattery = nextEvent((e) => e.trapOid === '1.3.6.1.4.1.318.0.5');
    await sender.send(
      'snmptrap',
      [...v2c(), '1.3.6.1.4.1.318.0.5'],
      [['1.3.6.1.4.1.318.2.3.3.0', 's', 'UPS: On battery power in response to an input power problem.']],
    );
    const raised = await onBattery;
    expect(raised).toMatchObject({
      deviceId: 'lab-switch',
      kind: 'upsOnBattery',
      name: 'PowerNet-MIB::upsOnBattery',
      severity: 'major',
      key: 'device%3Alab-switch/upsOnBattery/',
      attributes: { message: 'UPS: On battery power in response to an input power problem.' },
    });
    const restored = nextEvent((e) => e.trapOid === '1.3.6.1.4.1.318.0.9');
    await sender.send(
      'snmptrap',
      [...v2c(), '1.3.6.1.4.1.318.0.9'],
      [['1.3.6.1.4.1.318.2.3.3.0', 's', 'UPS: No longer on battery power.']],
    );
    const cleared = await restored;
    expect(cleared).toMatchObject({
      kind: 'upsAlarmRemoved',
      severity: 'cleared',
      attributes: { upsAlarm: 'upsAlarmOnBattery' },
    });
    expect(cleared.clears).toContain(raised.key);
  });

  it('translates an APC SNMPv1 lowBattery trap (enterprise apc, specific 7) to a critical UPS alarm', async () => {
    const low = nextEvent((e) => e.version === '1' && e.trapOid === '1.3.6.1.4.1.318.0.7');
    await sender.send('snmptrap', [
      '-v',
      '1',
      '-c',
      'public',
      target(),
      '1.3.6.1.4.1.318',
      LOOPBACK,
      '6',
      '7',
      '',
    ]);
    expect(await low).toMatchObject({
      kind: 'upsAlarmAdded',
      severity: 'critical',
      instance: '1.3.6.1.2.1.33.1.6.3.3',
      attributes: { upsAlarm: 'upsAlarmLowBattery' },
    });
  });

  it('frees its port on stop and listens again on start', async () => {
    await service.stop();
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, LOOPBACK, () => resolve());
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    await service.start(options(port), never);
    const received = nextEvent((e) => e.kind === 'coldStart');
    await sender.send('snmptrap', [...v2c(), '1.3.6.1.6.3.1.1.5.1']);
    expect(await received).toMatchObject({ deviceId: 'lab-switch' });
  });
});

describe.skipIf(reason !== undefined)(
  withSkipReason('a trap burst over the rate limit, sent by snmptrap', reason),
  () => {
    let sender: TrapSender;
    let store: DuckDbTrapEventStore;
    let service: TrapService;
    let port = 0;
    const events: TrapEvent[] = [];
    const never = new AbortController().signal;

    beforeAll(async () => {
      requireBinaries(SNMPTRAP_REQUIREMENTS);
      sender = await makeTrapSender();
      store = await DuckDbTrapEventStore.open(':memory:');
      service = new TrapService({
        receiver: new NetSnmpTrapReceiver(),
        store,
        clock: systemClock,
        logger: silentLogger,
        lookupDevice,
        // A burst of 5, then (almost) nothing: the counts below do not depend on how fast the
        // machine spawns snmptrap. The storm ends 1.5 s after the last refused trap.
        rateLimit: {
          perSecond: 0.001,
          burst: 5,
          globalPerSecond: 1_000,
          globalBurst: 1_000,
          stormQuietMs: 1_500,
        },
      });
      service.subscribe((e) => events.push(e));
      for (let attempt = 1; ; attempt++) {
        port = await freeUdpPort();
        try {
          await service.start(options(port), never);
          break;
        } catch (err: unknown) {
          if (!(err instanceof UpstreamError && err.code === 'ADDRESS_IN_USE') || attempt >= 3) throw err;
        }
      }
    });

    afterAll(async () => {
      await service?.stop();
      await store?.close();
      await sender?.close();
    });

    it('stores 5 of 40 linkDown traps from one switch, counts 35, and records the storm once, then its summary', async () => {
      const args = ['-v', '2c', '-c', 'public', `udp:${LOOPBACK}:${port}`, '', LINK_DOWN];
      // 40 real snmptrap runs, 10 at a time.
      for (let batch = 0; batch < 4; batch++)
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            sender.send('snmptrap', args, [['1.3.6.1.2.1.2.2.1.1.7', 'i', String(batch * 10 + i)]]),
          ),
        );
      await waitFor(() => Promise.resolve(service.stats().receiver?.accepted === 40), {
        what: '40 traps received',
        deadlineMs: 15_000,
      });
      expect(service.stats()).toMatchObject({
        rateLimited: 35,
        rateLimitedBySource: { 'device:lab-switch': 35 },
      });
      await waitFor(() => Promise.resolve(events.filter((e) => e.kind === 'trapStorm').length === 2), {
        what: 'the storm summary, 1.5 s after the last refused trap',
        deadlineMs: 15_000,
      });
      await service.flush();
      const stored = await service.query(
        { deviceId: 'lab-switch', from: 0, to: Date.now(), limit: 100 },
        never,
      );
      expect(stored.filter((e) => e.kind === 'linkDown')).toHaveLength(5);
      const storms = stored.filter((e) => e.kind === 'trapStorm').reverse();
      expect(storms.map((e) => e.severity)).toEqual(['warning', 'cleared']);
      expect(storms[1]).toMatchObject({
        clears: [storms[0]?.key],
        attributes: { limit: 'source', dropped: 35 },
      });
      expect(service.stats().activeStorms).toBe(0);
    });
  },
);
