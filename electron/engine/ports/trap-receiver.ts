/**
 * Where SNMP notifications (traps and informs) arrive: a UDP listener that authenticates them
 * (v1/v2c communities, v3 USM users), acknowledges informs, and hands decoded notifications over.
 * What it rejects (wrong community, unknown user, bad digest, undecodable datagram) is counted and
 * reported, never thrown: a hostile or broken sender cannot stop the listener.
 */
import type { SnmpVarbind } from './snmp-client';

/** SHA-2 (RFC 7860); `sha` (SHA-1) only for senders that have nothing better. No MD5. */
export type TrapAuthProtocol = 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
/**
 * AES-128 (RFC 3826) and AES-256 with the Blumenthal key extension (`aes256b`,
 * draft-blumenthal-aes-usm-04, what net-snmp's `-x AES-256` sends) or Reeder's (`aes256r`,
 * draft-reeder-snmpv3-usm-3desede-00, Cisco). The two differ only with a hash shorter than
 * 256 bits (SHA-1, SHA-224).
 */
export type TrapPrivProtocol = 'aes' | 'aes256b' | 'aes256r';

/**
 * An SNMPv3 user notifications are accepted from. Unauthenticated v3 (noAuthNoPriv) is never
 * accepted: anyone could forge it. Passphrases are resolved by the caller and stay in memory.
 */
export type TrapUser =
  | {
      readonly name: string;
      readonly level: 'authNoPriv';
      readonly authProtocol: TrapAuthProtocol;
      readonly authPassphrase: string;
    }
  | {
      readonly name: string;
      readonly level: 'authPriv';
      readonly authProtocol: TrapAuthProtocol;
      readonly authPassphrase: string;
      readonly privProtocol: TrapPrivProtocol;
      readonly privPassphrase: string;
    };

export interface TrapListenOptions {
  /** Address to bind: `0.0.0.0` (every IPv4 interface), `::`, or one address. */
  readonly address: string;
  /** UDP port, 1 to 65535. The standard 162 needs root (or CAP_NET_BIND_SERVICE). */
  readonly port: number;
  /** v1/v2c communities accepted; notifications with any other are dropped. */
  readonly communities: readonly string[];
  /** SNMPv3 users accepted; one entry per user name. */
  readonly users: readonly TrapUser[];
  /**
   * This receiver's SNMPv3 engine ID, hex (5 to 32 octets, RFC 3411 SnmpEngineID). It is
   * authoritative for informs: senders discover it and cache it, and some are configured with
   * it, so it must stay the same across restarts (generate it once and keep it).
   */
  readonly engineId: string;
}

export interface TrapSourceAddress {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

/** A notification that passed authentication, decoded. */
export interface ReceivedTrap {
  readonly source: TrapSourceAddress;
  readonly version: '1' | '2c' | '3';
  /** `inform`: it was acknowledged to the sender before being handed over. */
  readonly pdu: 'trap' | 'inform';
  /** The v1/v2c community it was accepted with; null for v3. Secret: never log or store it. */
  readonly community: string | null;
  /** The SNMPv3 user; null for v1/v2c. */
  readonly user: string | null;
  /**
   * The SNMPv3 engine ID of the sender, lower-case hex: the authoritative engine of a trap (the
   * sender, RFC 3414 section 1.5.1), the contextEngineID of an inform (whose authoritative engine
   * is this receiver). Null for v1/v2c.
   */
  readonly engineId: string | null;
  /**
   * The origin the notification names, when it says: agent-addr of a v1 trap, or the value of
   * snmpTrapAddress.0 (RFC 3584 section 3.1, added by proxies that forward traps). Null otherwise.
   */
  readonly agentAddress: string | null;
  /** snmpTrapOID.0; for v1 traps, translated as RFC 3584 section 3.1 says. */
  readonly trapOid: string;
  /** sysUpTime.0, hundredths of a second; null when the notification has none. */
  readonly upTime: number | null;
  /** Every varbind but sysUpTime.0 and snmpTrapOID.0, in order. */
  readonly varbinds: readonly SnmpVarbind[];
}

/** Why a datagram was not handed over. */
export const TRAP_DROP_REASONS = [
  /** v1/v2c with a community not in `communities`. */
  'badCommunity',
  /** v3 with a user not in `users` (or the empty user). */
  'unknownUser',
  /** v3 at a lower security level than the user's (e.g. no privacy for an authPriv user). */
  'securityLevel',
  /** v3 whose digest does not match: wrong auth passphrase or protocol, or a tampered message. */
  'authFailure',
  /** v3 whose scoped PDU does not decrypt: wrong privacy passphrase or protocol. */
  'decryptFailure',
  /**
   * Authenticated v3 trap outside the timeliness window of its sender's engine (RFC 3414 section
   * 3.2 step 7b): engineBoots at its maximum, lower than the latest seen, or engineTime more than
   * 150 s behind the receiver's notion of it. A replayed (captured) trap.
   */
  'notInTimeWindow',
  /** Not SNMP, truncated, or a notification without snmpTrapOID.0. */
  'malformed',
  /** SNMP, but not a notification (a GET, a SET, a response). */
  'unexpectedPdu',
] as const;
export type TrapDropReason = (typeof TRAP_DROP_REASONS)[number];

export interface TrapDrop {
  readonly reason: TrapDropReason;
  /** Where the datagram came from, when known. */
  readonly source: TrapSourceAddress | null;
  /** What was wrong, for the log; never a community or a passphrase. */
  readonly detail: string;
}

export interface TrapReceiverStats {
  /** Datagrams that reached the socket. */
  readonly datagrams: number;
  /** Notifications handed to `onTrap`. */
  readonly accepted: number;
  /** Informs acknowledged (counted in `accepted` too). */
  readonly informs: number;
  readonly dropped: Readonly<Record<TrapDropReason, number>>;
}

export interface TrapHandlers {
  /** Called once per accepted notification. Must not throw (what it throws is counted and dropped). */
  onTrap(trap: ReceivedTrap): void;
  /** Called once per dropped datagram. */
  onDrop(drop: TrapDrop): void;
  /** A socket error after the listener was bound (rare for UDP). */
  onError(error: Error): void;
}

/** A bound listener. */
export interface TrapListener {
  /** The address and port actually bound. */
  readonly address: TrapSourceAddress;
  stats(): TrapReceiverStats;
  /** Closes the socket and frees the port; resolves once closed. Idempotent. */
  close(): Promise<void>;
}

/** Why a listener could not start (`UpstreamError.code`). */
export type TrapReceiverErrorCode =
  'ADDRESS_IN_USE' | 'PERMISSION_DENIED' | 'ADDRESS_NOT_AVAILABLE' | 'BIND_FAILED' | 'ABORTED';

export interface TrapReceiver {
  /**
   * Binds a UDP listener and resolves once it is bound. Rejects with an UpstreamError
   * (TrapReceiverErrorCode) when it cannot bind, and with a RangeError on invalid options.
   * Aborting `signal` cancels a pending bind, and later closes the listener (as Node's
   * `server.listen({ signal })` does).
   */
  listen(options: TrapListenOptions, handlers: TrapHandlers, signal: AbortSignal): Promise<TrapListener>;
}
