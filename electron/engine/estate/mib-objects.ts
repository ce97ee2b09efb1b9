/**
 * A small declarative description of what one simulated agent serves: scalars and tables with a
 * single integer index, each cell read from the simulation at request time. `snmp-agent.ts` turns
 * it into net-snmp providers; `device-mibs.ts` describes each device kind with it.
 */

/** SMI syntaxes the estate serves (RFC 2578). */
export type MibSyntax = 'integer' | 'octets' | 'oid' | 'gauge32' | 'counter32' | 'counter64' | 'timeticks';

/** A value of one syntax: numbers for the 32-bit types, bigint for Counter64, strings otherwise. */
export type MibValue = number | bigint | string;

/** A scalar object; the agent serves its instance `<oid>.0`. */
export interface MibScalar {
  /** Object name from the MIB; unique within the agent (net-snmp keys providers by name). */
  readonly name: string;
  /** Object OID, without the `.0` instance suffix. */
  readonly oid: string;
  readonly syntax: MibSyntax;
  readonly read: (now: number) => MibValue;
}

/** A non-index column of a table; `read` gets the row's index value. */
export interface MibColumn {
  readonly number: number;
  readonly name: string;
  readonly syntax: MibSyntax;
  readonly read: (row: number, now: number) => MibValue;
}

/**
 * How a table's rows are indexed. All estate tables use one integer index, declared the way the
 * MIB declares it:
 * - `column`: the index is a column of this table (`accessible: false` for not-accessible
 *   indexes such as upsInputLineIndex, which the agent must not serve);
 * - `foreign`: the index is a column of another table (entPhySensorEntry INDEX { entPhysicalIndex });
 * - `augments`: the table extends another one row for row (ifXEntry AUGMENTS ifEntry).
 */
export type MibTableIndex =
  | { readonly kind: 'column'; readonly column: number; readonly name: string; readonly accessible: boolean }
  | { readonly kind: 'foreign'; readonly table: string; readonly name: string }
  | { readonly kind: 'augments'; readonly table: string };

/** A conceptual table with a single integer index. */
export interface MibTable {
  /** Entry name (e.g. `ifEntry`); other tables refer to it by this name. */
  readonly name: string;
  /** OID of the conceptual row (the `...Entry` node), as net-snmp expects. */
  readonly entryOid: string;
  readonly index: MibTableIndex;
  readonly rows: readonly number[];
  /** Non-index columns. */
  readonly columns: readonly MibColumn[];
}

/** Everything one agent serves. Tables referred to by another table come first. */
export interface MibDefinition {
  readonly scalars: readonly MibScalar[];
  readonly tables: readonly MibTable[];
}

const MAX_UNSIGNED_32 = 0xffff_ffff;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const MAX_UNSIGNED_64 = 2n ** 64n - 1n;

/** Integer32: rounded and clamped, since a reading outside the range is a simulation bug, not a reason to stop answering. */
export function toInteger32(value: number): number {
  return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.round(value)));
}

/** Gauge32 latches at its bounds (RFC 2578 section 7.1.7). */
export function toGauge32(value: number): number {
  return Math.min(MAX_UNSIGNED_32, Math.max(0, Math.round(value)));
}

/** Counter32 and TimeTicks wrap modulo 2^32 (RFC 2578 sections 7.1.6 and 7.1.8). */
export function toWrapped32(value: number): number {
  const rounded = Math.floor(value);
  return ((rounded % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;
}

/**
 * Content octets of a Counter64 as BER encodes an unsigned INTEGER (X.690 section 8.3): big-endian,
 * minimal length, with a leading zero octet when the top bit is set (so up to 9 octets). net-snmp
 * agents write a Counter64 value as these raw octets; real agents send minimal encodings, so
 * clients must not assume exactly 8.
 */
export function encodeCounter64(value: bigint): Buffer {
  if (value < 0n || value > MAX_UNSIGNED_64) throw new RangeError(`Counter64 out of range: ${value}`);
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  } while (rest > 0n);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}
