/**
 * The raw net-snmp session API, promisified for tests: they talk to the estate's agents over real
 * loopback UDP exactly as a manager would, with SNMP v2c set explicitly.
 */
import snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';

export interface TestSession {
  get(oids: readonly string[]): Promise<Varbind[]>;
  /** Every varbind strictly under `oid` (GetBulk walk). */
  subtree(oid: string): Promise<Varbind[]>;
  close(): void;
}

/** A v2c session to an estate agent on loopback (community `training` unless told otherwise). */
export function openSession(
  port: number,
  options: { community?: string; host?: string; timeoutMs?: number; retries?: number } = {},
): TestSession {
  const session = snmp.createSession(options.host ?? '127.0.0.1', options.community ?? 'training', {
    port,
    version: snmp.Version2c,
    timeout: options.timeoutMs ?? 2000,
    retries: options.retries ?? 1,
  });
  return {
    get: (oids) =>
      new Promise((resolve, reject) => {
        session.get([...oids], (error, varbinds) => (error ? reject(error) : resolve(varbinds ?? [])));
      }),
    subtree: (oid) =>
      new Promise((resolve, reject) => {
        const found: Varbind[] = [];
        session.subtree(
          oid,
          20,
          (varbinds) => {
            found.push(...varbinds);
          },
          (error) => (error ? reject(error) : resolve(found)),
        );
      }),
    close: () => {
      session.close();
    },
  };
}

/** The value of a varbind that must be a number (Integer, Gauge32, Counter32, TimeTicks). */
export function numberOf(varbind: Varbind | undefined): number {
  if (!varbind || snmp.isVarbindError(varbind)) throw new Error(`not a value: ${JSON.stringify(varbind)}`);
  if (typeof varbind.value !== 'number')
    throw new Error(`${varbind.oid} is not a number: ${String(varbind.value)}`);
  return varbind.value;
}

/** The value of an OctetString or OID varbind as text. */
export function textOf(varbind: Varbind | undefined): string {
  if (!varbind || snmp.isVarbindError(varbind)) throw new Error(`not a value: ${JSON.stringify(varbind)}`);
  if (Buffer.isBuffer(varbind.value)) return varbind.value.toString('utf8');
  if (typeof varbind.value === 'string') return varbind.value;
  throw new Error(`${varbind.oid} is not text`);
}

/** A Counter64 varbind decoded exactly: net-snmp hands over the BER content octets. */
export function counter64Of(varbind: Varbind | undefined): bigint {
  if (!varbind || snmp.isVarbindError(varbind)) throw new Error(`not a value: ${JSON.stringify(varbind)}`);
  if (varbind.type !== snmp.ObjectType.Counter64 || !Buffer.isBuffer(varbind.value))
    throw new Error(`${varbind.oid} is not a Counter64`);
  let value = 0n;
  for (const byte of varbind.value) value = (value << 8n) | BigInt(byte);
  return value;
}
