/**
 * What the engine needs of an SNMP manager. Every call takes an AbortSignal; the adapter never
 * retries (services own timeouts, retries and backoff: see DESIGN.md section 4).
 */

interface SnmpTargetBase {
  readonly host: string;
  readonly port: number;
  /** Per-request timeout in milliseconds (the adapter makes exactly one attempt). */
  readonly timeoutMs: number;
}

/** An SNMPv2c agent, read with a community. */
export interface SnmpV2cTarget extends SnmpTargetBase {
  readonly version: '2c';
  readonly community: string;
}

/** SHA-2 (RFC 7860) and the legacy SHA-1 that older agents still need. MD5 is not offered. */
export type SnmpAuthProtocol = 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
/** AES-128 (RFC 3826) and the two AES-256 key localisations in use (Blumenthal, Reeder). */
export type SnmpPrivProtocol = 'aes' | 'aes256b' | 'aes256r';

/**
 * An SNMPv3 agent, read with a USM user. Passphrases are resolved from the secret store by the
 * caller: they live in memory only, never in a log line or an error message.
 */
export interface SnmpV3Target extends SnmpTargetBase {
  readonly version: '3';
  readonly user: string;
  readonly level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  readonly authProtocol?: SnmpAuthProtocol;
  readonly authPassphrase?: string;
  readonly privProtocol?: SnmpPrivProtocol;
  readonly privPassphrase?: string;
  /** SNMPv3 context name; default empty. */
  readonly context?: string;
}

/** An SNMP agent to talk to. */
export type SnmpTarget = SnmpV2cTarget | SnmpV3Target;

/**
 * A decoded varbind value. Counter64 is always a bigint (values above 2^53 stay exact);
 * Counter32, Gauge32, TimeTicks and Integer are numbers; OctetString is a string when it is
 * printable UTF-8, otherwise the raw bytes as a hex string prefixed with `0x`.
 * `noSuchObject`, `noSuchInstance` and `endOfMibView` are explicit, never a zero.
 */
export type SnmpValue =
  | { readonly type: 'integer' | 'counter32' | 'gauge32' | 'timeticks'; readonly value: number }
  | { readonly type: 'counter64'; readonly value: bigint }
  | { readonly type: 'octets'; readonly value: string }
  | { readonly type: 'oid' | 'ipaddress'; readonly value: string }
  | { readonly type: 'null' | 'noSuchObject' | 'noSuchInstance' | 'endOfMibView' };

/**
 * A value as text, what enumerations, labels and matches compare: numbers in decimal (Counter64
 * exactly), strings as they are; null for NULL and the exceptions, which carry nothing.
 */
export function snmpValueText(value: SnmpValue): string | null {
  switch (value.type) {
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return String(value.value);
    case 'counter64':
      return value.value.toString();
    case 'octets':
    case 'oid':
    case 'ipaddress':
      return value.value;
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return null;
  }
}

export interface SnmpVarbind {
  /** Numeric OID, dotted, without a leading dot. */
  readonly oid: string;
  readonly value: SnmpValue;
}

/** Why an SNMP exchange failed; shown to operators as distinct states. */
export type SnmpErrorCode = 'TIMEOUT' | 'AUTH' | 'DECRYPT' | 'UNREACHABLE' | 'PROTOCOL' | 'ABORTED';

export interface SnmpClient {
  /** GET of scalar or instance OIDs; one varbind per OID, in the same order. */
  get(target: SnmpTarget, oids: readonly string[], signal: AbortSignal): Promise<SnmpVarbind[]>;
  /**
   * Every varbind under `rootOid` (GetBulk with `maxRepetitions`), stopping at the end of the
   * subtree (never walking past it, unlike net-snmp's `walk`).
   */
  subtree(
    target: SnmpTarget,
    rootOid: string,
    maxRepetitions: number,
    signal: AbortSignal,
  ): Promise<SnmpVarbind[]>;
  /**
   * Several subtrees walked side by side, typically the columns of one table: each GetBulk carries
   * one OID per column still under way (non-repeaters 0, `maxRepetitions` rows per column), each
   * column advances from its own last OID and drops out once it leaves its subtree or reaches
   * endOfMibView. Element `i` of the result is exactly what `subtree(target, columnOids[i], ...)`
   * returns (a ragged table's columns keep their own row sets; an empty column gives `[]`), at the
   * cost of one request sequence instead of one per column. An agent refusing the PDU as tooBig is
   * asked again with half the repetitions, then half the columns. Errors as for `subtree`.
   */
  walkColumns(
    target: SnmpTarget,
    columnOids: readonly string[],
    maxRepetitions: number,
    signal: AbortSignal,
  ): Promise<SnmpVarbind[][]>;
  /** Releases sockets. */
  close(): Promise<void>;
}
