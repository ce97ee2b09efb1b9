/**
 * The training estate's devices send SNMPv2c notifications as real ones do: a UPS that goes on
 * battery sends upsTrapOnBattery and upsTrapAlarmEntryAdded(upsAlarmOnBattery), and
 * upsTrapAlarmEntryRemoved when mains return (UPS-MIB, RFC 1628). Each device sends from its own
 * socket, so that the engine tells them apart by source port: they all share one loopback address.
 */
import type { Socket } from 'node:dgram';
import snmp from 'net-snmp';
import type { Session } from 'net-snmp';
import {
  GENERIC_TRAP,
  IF_TRAP_OBJECT,
  UPS_TRAP,
  UPS_TRAP_OBJECT,
  UPS_WELL_KNOWN_ALARM,
} from '../mibs/notifications';

export interface TrapTarget {
  readonly host: string;
  readonly port: number;
  readonly community: string;
}

interface Sender {
  readonly session: Session;
  readonly port: number;
}

export class EstateTrapSenders {
  private readonly senders = new Map<string, Sender>();
  /** Per UPS, the upsAlarmId of its on-battery alarm while it is present. */
  private readonly onBatteryAlarm = new Map<string, number>();
  private nextAlarmId = 1;

  private constructor(
    private readonly target: TrapTarget,
    private readonly onError: (err: Error) => void,
  ) {}

  /** One bound sender per device id, from `sourceHost`. */
  static async open(
    deviceIds: readonly string[],
    sourceHost: string,
    target: TrapTarget,
    onError: (err: Error) => void,
  ): Promise<EstateTrapSenders> {
    const senders = new EstateTrapSenders(target, onError);
    for (const id of deviceIds) {
      const session = snmp.createSession(target.host, target.community, {
        version: snmp.Version2c,
        trapPort: target.port,
        sourceAddress: sourceHost,
        retries: 0,
      });
      session.on('error', (err: unknown) => onError(err instanceof Error ? err : new Error(String(err))));
      const socket = (session as unknown as { dgram: Socket }).dgram;
      await new Promise<void>((resolve, reject) => {
        socket.once('listening', resolve);
        socket.once('error', reject);
      });
      senders.senders.set(id, { session, port: socket.address().port });
    }
    return senders;
  }

  /** `address:port` of each device's sender: what the engine's trap lookup matches. */
  sources(): ReadonlyMap<string, string> {
    const host = this.target.host;
    return new Map(
      [...this.senders].map(([id, s]) => [`${host === 'localhost' ? '127.0.0.1' : host}:${s.port}`, id]),
    );
  }

  private send(
    deviceId: string,
    oid: string,
    varbinds: { oid: string; type: number; value: unknown }[],
    upTimeTicks: number,
  ): void {
    const sender = this.senders.get(deviceId);
    if (!sender) return;
    sender.session.trap(oid, varbinds as never, { upTime: upTimeTicks } as never, (err: Error | null) => {
      if (err) this.onError(err);
    });
  }

  /** Mains lost at a UPS: on-battery notification and the on-battery alarm added. */
  upsOnBattery(deviceId: string, minutesRemaining: number, upTimeTicks: number): void {
    this.send(
      deviceId,
      UPS_TRAP.onBattery,
      [
        {
          oid: `${UPS_TRAP_OBJECT.upsEstimatedMinutesRemaining}.0`,
          type: snmp.ObjectType.Integer,
          value: minutesRemaining,
        },
        { oid: `${UPS_TRAP_OBJECT.upsSecondsOnBattery}.0`, type: snmp.ObjectType.Integer, value: 0 },
        { oid: `${UPS_TRAP_OBJECT.upsConfigLowBattTime}.0`, type: snmp.ObjectType.Integer, value: 2 },
      ],
      upTimeTicks,
    );
    const alarmId = this.nextAlarmId++;
    this.onBatteryAlarm.set(deviceId, alarmId);
    this.send(
      deviceId,
      UPS_TRAP.alarmEntryAdded,
      [
        {
          oid: `${UPS_TRAP_OBJECT.upsAlarmDescr}.${alarmId}`,
          type: snmp.ObjectType.OID,
          value: UPS_WELL_KNOWN_ALARM.upsAlarmOnBattery,
        },
      ],
      upTimeTicks,
    );
  }

  /** Mains back at a UPS: its on-battery alarm removed (which clears the on-battery event). */
  upsOnMains(deviceId: string, upTimeTicks: number): void {
    const alarmId = this.onBatteryAlarm.get(deviceId);
    if (alarmId === undefined) return;
    this.onBatteryAlarm.delete(deviceId);
    this.send(
      deviceId,
      UPS_TRAP.alarmEntryRemoved,
      [
        {
          oid: `${UPS_TRAP_OBJECT.upsAlarmDescr}.${alarmId}`,
          type: snmp.ObjectType.OID,
          value: UPS_WELL_KNOWN_ALARM.upsAlarmOnBattery,
        },
      ],
      upTimeTicks,
    );
  }

  /** A switch port's link went down (IF-MIB linkDown with ifIndex, admin and oper status, ifName). */
  linkDown(deviceId: string, ifIndex: number, ifName: string, upTimeTicks: number): void {
    this.send(
      deviceId,
      GENERIC_TRAP.linkDown,
      [
        { oid: `${IF_TRAP_OBJECT.ifIndex}.${ifIndex}`, type: snmp.ObjectType.Integer, value: ifIndex },
        { oid: `${IF_TRAP_OBJECT.ifAdminStatus}.${ifIndex}`, type: snmp.ObjectType.Integer, value: 1 },
        { oid: `${IF_TRAP_OBJECT.ifOperStatus}.${ifIndex}`, type: snmp.ObjectType.Integer, value: 2 },
        { oid: `${IF_TRAP_OBJECT.ifName}.${ifIndex}`, type: snmp.ObjectType.OctetString, value: ifName },
      ],
      upTimeTicks,
    );
  }

  async close(): Promise<void> {
    const all = [...this.senders.values()];
    this.senders.clear();
    await Promise.all(
      all.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.session.on('close', () => resolve());
            try {
              s.session.close();
            } catch {
              resolve();
            }
          }),
      ),
    );
  }
}
