/**
 * TrapReceiver on npm `net-snmp`'s notification receiver (`snmp.createReceiver`).
 *
 * What net-snmp does, and what this adapter adds around it:
 * - It checks v1/v2c communities and v3 USM users, decrypts, verifies digests, and acknowledges
 *   informs (the response goes out before the notification is handed over).
 * - SNMPv3 traps: the sender is the authoritative engine (RFC 3414 section 1.5.1), and net-snmp
 *   localizes the user's keys with the msgAuthoritativeEngineID each message carries. So no
 *   per-sender engine ID has to be configured (unlike snmptrapd's `createUser -e`), and any
 *   engine ID passes: this adapter reports it (`engineId`) so that the caller can bind a user to
 *   its devices' engines. net-snmp does not surface it; it is read in an override of the
 *   receiver's `formatCallbackData`.
 * - SNMPv3 informs: this receiver is authoritative; senders discover its engine ID (a report
 *   PDU). net-snmp generates a random one per start unless given one: the caller's is used.
 * - net-snmp accepts a v3 noAuthNoPriv message whose user name is empty without any configured
 *   user: dropped here as `unknownUser`.
 * - An exception thrown inside net-snmp's datagram handler (an inform whose varbinds it can read
 *   but not re-encode for the acknowledgement, a BitString for one) would reach the socket's
 *   'message' emitter and kill the process: every datagram is handled inside a guard that counts
 *   it as malformed instead. The sockets are net-snmp's, created through its `dgramModule` option.
 * - net-snmp caches localized keys per (protocol, passphrase, engine ID) in a module-wide object
 *   that never shrinks: a sender cycling engine IDs for a known user name would grow it without
 *   end. It is emptied when it grows past a bound (it is only a cache).
 *
 * - net-snmp does not check the timeliness of v3 traps (engineBoots and engineTime, RFC 3414
 *   section 3.2 step 7b), so a captured v3 trap could be replayed at will: the adapter does it
 *   (net-snmp-trap-receiver-time-window.ts) with the boots and time read in formatCallbackData,
 *   which net-snmp calls only for a message that passed authentication. A trap outside the window
 *   is dropped as `notInTimeWindow`. Informs are not checked: their authoritative engine is this
 *   receiver, whose engineBoots/engineTime net-snmp keeps fixed (0 and 10), so step 7a has
 *   nothing to compare with.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import snmp from 'net-snmp';
import type { SnmpValue, SnmpVarbind } from '../../ports/snmp-client';
import type {
  ReceivedTrap,
  TrapAuthProtocol,
  TrapDrop,
  TrapDropReason,
  TrapHandlers,
  TrapListener,
  TrapListenOptions,
  TrapPrivProtocol,
  TrapReceiver,
  TrapReceiverErrorCode,
  TrapReceiverStats,
  TrapSourceAddress,
} from '../../ports/trap-receiver';
import { TRAP_DROP_REASONS } from '../../ports/trap-receiver';
import { UpstreamError } from '../../ports/upstream-error';
import { decodeCounter64, decodeOctets } from './net-snmp-client';
import { BER_TAG, NUMERIC_OID } from './ber-tags';
import { TimeWindowTracker } from './net-snmp-trap-receiver-time-window';

/** Protocol objects of every SNMPv2 notification (RFC 3416 section 4.2.6, RFC 3584 section 3.1). */
const SYS_UP_TIME_0 = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';
const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';
/** snmpTraps: v1 generic-trap n (0 to 5) is snmpTraps.(n + 1). */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';

/** PDU tags (RFC 3416 section 3; RFC 1157 section 4.1.6 for the v1 Trap-PDU). */
const PDU = { trapV1: 0xa4, inform: 0xa6, trapV2: 0xa7 } as const;

/** SnmpEngineID: 5 to 32 octets (RFC 3411 section 5). */
const ENGINE_ID = /^(?:0x)?((?:[0-9a-fA-F]{2}){5,32})$/;
/** RFC 3414 section 11.2: passphrases of at least 8 characters (net-snmp's tools refuse shorter). */
const MIN_PASSPHRASE = 8;
/** Bound on net-snmp's module-wide localized-key cache (entries); see the file comment. */
const KEY_CACHE_LIMIT = 1_024;
/** How often (datagrams) the key cache size is checked. */
const KEY_CACHE_CHECK_EVERY = 256;

const AUTH_PROTOCOLS: Readonly<Record<TrapAuthProtocol, snmp.AuthProtocols>> = {
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
};
const PRIV_PROTOCOLS: Readonly<Record<TrapPrivProtocol, snmp.PrivProtocols>> = {
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
};

/** The parts of net-snmp's Receiver this adapter touches (its typings declare `any`). */
interface NetSnmpReceiver {
  getAuthorizer(): { addCommunity(community: string): void; addUser(user: snmp.User): void };
  formatCallbackData: (this: void, message: unknown, rinfo: unknown) => unknown;
}

/** What the formatCallbackData override adds to net-snmp's callback data. */
interface Captured {
  readonly version: number | null;
  readonly authoritativeEngineId: string | null;
  /** msgAuthoritativeEngineBoots/Time of an authenticated v3 message; null otherwise. */
  readonly engineBoots: number | null;
  readonly engineTime: number | null;
}
const CAPTURED = Symbol('vigie.trap.captured');

interface SocketRef {
  readonly socket: dgram.Socket;
}

export interface NetSnmpTrapReceiverOptions {
  /** Monotonic milliseconds for the v3 time window; default `performance.now()`. For tests. */
  readonly monotonicNow?: () => number;
}

export class NetSnmpTrapReceiver implements TrapReceiver {
  private readonly monotonicNow: () => number;

  constructor(options: NetSnmpTrapReceiverOptions = {}) {
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
  }

  async listen(
    options: TrapListenOptions,
    handlers: TrapHandlers,
    signal: AbortSignal,
  ): Promise<TrapListener> {
    const config = validateOptions(options);
    const source = `snmp-traps:udp:${formatHostPort(config.address, config.port)}`;
    if (signal.aborted) throw new UpstreamError(source, 'ABORTED', 'trap listener aborted before binding');

    const listener = new NetSnmpTrapListener(config, handlers, source, this.monotonicNow);
    await listener.bind(signal);
    return listener;
  }
}

interface ValidOptions {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
  readonly communities: readonly string[];
  readonly users: readonly snmp.User[];
  readonly engineId: string;
}

class NetSnmpTrapListener implements TrapListener {
  readonly address: TrapSourceAddress;
  private readonly counts = {
    datagrams: 0,
    accepted: 0,
    informs: 0,
    dropped: Object.fromEntries(TRAP_DROP_REASONS.map((r) => [r, 0])) as Record<TrapDropReason, number>,
  };
  private readonly userNames: ReadonlySet<string>;
  private socketRef: SocketRef | undefined;
  private listening = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private sinceCacheCheck = 0;
  private detachAbort: () => void = () => undefined;
  /** Per sender engine: the latest engineBoots/engineTime of its authentic traps. */
  private readonly timeWindow = new TimeWindowTracker();

  constructor(
    private readonly config: ValidOptions,
    private readonly handlers: TrapHandlers,
    private readonly source: string,
    private readonly monotonicNow: () => number,
  ) {
    this.address = { address: config.address, port: config.port, family: config.family };
    this.userNames = new Set(config.users.map((u) => u.name));
  }

  stats(): TrapReceiverStats {
    return { ...this.counts, dropped: { ...this.counts.dropped } };
  }

  /** Creates net-snmp's receiver on our socket and resolves once the socket is bound. */
  bind(signal: AbortSignal): Promise<void> {
    const { config } = this;
    const dgramModule = {
      createSocket: (type: 'udp4' | 'udp6'): dgram.Socket => {
        if (this.socketRef !== undefined) throw new Error('net-snmp asked for a second socket');
        const socket = dgram.createSocket(type);
        this.guardMessages(socket);
        this.socketRef = { socket };
        return socket;
      },
    };
    let receiver: NetSnmpReceiver;
    try {
      receiver = snmp.createReceiver(
        {
          port: config.port,
          address: config.address,
          transport: config.family === 'IPv6' ? 'udp6' : 'udp4',
          engineID: config.engineId,
          // Adds the community (v1/v2c) or the user (v3) to each notification.
          includeAuthentication: true,
          disableAuthorization: false,
          dgramModule,
        },
        (err: unknown, data: unknown) => this.onCallback(err, data),
      ) as NetSnmpReceiver;
    } catch (err: unknown) {
      void this.closeSocket();
      throw new UpstreamError(
        this.source,
        'BIND_FAILED',
        `could not create the trap receiver: ${messageOf(err)}`,
        {
          cause: err,
        },
      );
    }
    this.captureSecurity(receiver);
    // Before the event loop turns, hence before any datagram can arrive: the bind is asynchronous.
    const authorizer = receiver.getAuthorizer();
    for (const community of config.communities) authorizer.addCommunity(community);
    for (const user of config.users) authorizer.addUser(user);

    const ref = this.socketRef;
    if (ref === undefined) throw new UpstreamError(this.source, 'BIND_FAILED', 'net-snmp created no socket');
    return new Promise<void>((resolve, reject) => {
      const fail = (err: UpstreamError): void => {
        ref.socket.off('listening', onListening);
        ref.socket.off('error', onError);
        signal.removeEventListener('abort', onAbort);
        void this.close().finally(() => reject(err));
      };
      const onListening = (): void => {
        ref.socket.off('error', onError);
        signal.removeEventListener('abort', onAbort);
        this.listening = true;
        // From now on, aborting the signal closes the listener.
        const onLaterAbort = (): void => void this.close();
        signal.addEventListener('abort', onLaterAbort, { once: true });
        this.detachAbort = () => signal.removeEventListener('abort', onLaterAbort);
        resolve();
      };
      const onError = (err: Error): void => fail(bindError(this.source, config, err));
      const onAbort = (): void =>
        fail(
          new UpstreamError(this.source, 'ABORTED', 'trap listener aborted while binding', {
            cause: signal.reason,
          }),
        );
      ref.socket.once('listening', onListening);
      ref.socket.once('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.detachAbort();
      await this.closeSocket();
    })();
    return this.closing;
  }

  private closeSocket(): Promise<void> {
    const ref = this.socketRef;
    if (ref === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      try {
        ref.socket.close(() => resolve());
      } catch (err: unknown) {
        // A socket whose bind failed is already closed: nothing left to release.
        if ((err as { code?: unknown }).code !== 'ERR_SOCKET_DGRAM_NOT_RUNNING') throw err;
        resolve();
      }
    });
  }

  /**
   * Wraps every 'message' listener net-snmp adds to the socket: an exception it throws while
   * handling a datagram is counted as a malformed datagram instead of crashing the process.
   */
  private guardMessages(socket: dgram.Socket): void {
    const on = socket.on.bind(socket) as (
      event: string,
      listener: (...args: unknown[]) => void,
    ) => dgram.Socket;
    const guarded = (event: string, listener: (...args: unknown[]) => void): dgram.Socket => {
      if (event !== 'message') return on(event, listener);
      return on('message', (...args: unknown[]) => {
        const [buffer, rinfo] = args;
        this.counts.datagrams++;
        try {
          listener(...args);
        } catch (err: unknown) {
          const size = Buffer.isBuffer(buffer) ? buffer.length : 0;
          this.drop({
            reason: 'malformed',
            source: sourceOf(rinfo),
            detail: `datagram of ${size} bytes broke the SNMP decoder: ${short(messageOf(err))}`,
          });
        }
        this.trimKeyCache();
      });
    };
    socket.on = guarded as typeof socket.on;
  }

  /**
   * Overrides the receiver's formatCallbackData (called by net-snmp once per notification) to
   * keep what net-snmp drops: the message version and the v3 authoritative engine ID.
   */
  private captureSecurity(receiver: NetSnmpReceiver): void {
    const original = (receiver as { formatCallbackData?: unknown }).formatCallbackData;
    if (typeof original !== 'function') return;
    receiver.formatCallbackData = (message: unknown, rinfo: unknown): unknown => {
      const data: unknown = original.call(receiver, message, rinfo);
      try {
        if (typeof data === 'object' && data !== null) {
          const m = message as {
            version?: unknown;
            msgSecurityParameters?: {
              msgAuthoritativeEngineID?: unknown;
              msgAuthoritativeEngineBoots?: unknown;
              msgAuthoritativeEngineTime?: unknown;
            };
            hasAuthentication?: () => unknown;
          };
          const params = m.msgSecurityParameters;
          const engine = params?.msgAuthoritativeEngineID;
          // hasAuthentication() answers the msgFlags bit (a number), not a boolean.
          const authenticated = typeof m.hasAuthentication === 'function' && Boolean(m.hasAuthentication());
          const boots = params?.msgAuthoritativeEngineBoots;
          const time = params?.msgAuthoritativeEngineTime;
          const captured: Captured = {
            version: typeof m.version === 'number' ? m.version : null,
            authoritativeEngineId:
              Buffer.isBuffer(engine) && engine.length > 0 ? engine.toString('hex') : null,
            engineBoots: authenticated && Number.isInteger(boots) ? (boots as number) : null,
            engineTime: authenticated && Number.isInteger(time) ? (time as number) : null,
          };
          (data as Record<symbol, unknown>)[CAPTURED] = captured;
        }
      } catch (err: unknown) {
        // Only the extra fields are lost: the notification is still handed over.
        void err;
      }
      return data;
    };
  }

  /** net-snmp's one callback: a notification, or an error about a datagram or the socket. */
  private onCallback(err: unknown, data: unknown): void {
    if (this.closed) return;
    try {
      if (err !== null && err !== undefined) {
        this.onLibraryError(err);
        return;
      }
      const result = decodeNotification(data, this.userNames);
      if ('drop' in result) {
        this.drop(result.drop);
        return;
      }
      const late = this.outsideTimeWindow(result.trap, data);
      if (late !== null) {
        this.drop(late);
        return;
      }
      this.counts.accepted++;
      if (result.trap.pdu === 'inform') this.counts.informs++;
      this.handlers.onTrap(result.trap);
    } catch (thrown: unknown) {
      // A handler that throws must not reach net-snmp's emitter.
      this.reportError(thrown);
    }
  }

  /**
   * RFC 3414 section 3.2 step 7b for an authenticated v3 trap: null when in the window (or not
   * applicable), else the drop. The detail names the engine, the user and the values, never a key.
   */
  private outsideTimeWindow(trap: ReceivedTrap, data: unknown): TrapDrop | null {
    if (trap.version !== '3' || trap.pdu !== 'trap') return null;
    const captured = (data as { [CAPTURED]?: Captured })[CAPTURED];
    const engineId = captured?.authoritativeEngineId ?? null;
    const boots = captured?.engineBoots ?? null;
    const time = captured?.engineTime ?? null;
    // Unauthenticated v3 never reaches here (unknownUser); without the values there is nothing to check.
    if (engineId === null || boots === null || time === null) return null;
    const verdict = this.timeWindow.check(engineId, { boots, time }, this.monotonicNow());
    if (verdict.inWindow) return null;
    const why = {
      bootsLatched: 'engineBoots latched at 2147483647',
      bootsBehind: `engineBoots ${boots} behind the latest ${verdict.notion.boots}`,
      timeBehind: `engineTime ${time} more than 150 s behind the expected ${verdict.expectedTime}`,
    }[verdict.why];
    return {
      reason: 'notInTimeWindow',
      source: trap.source,
      detail: `SNMPv3 trap from engine ${engineId} (user ${JSON.stringify(trap.user ?? '')}) outside the time window: ${why}`,
    };
  }

  private onLibraryError(err: unknown): void {
    const rinfo = (err as { rinfo?: unknown }).rinfo;
    if (rinfo === undefined) {
      // A socket error, not a datagram's: before 'listening' it is the bind failure, which
      // bind() reports; after, it goes to the handler.
      if (this.listening) this.reportError(err);
      return;
    }
    this.drop(classifyError(err, sourceOf(rinfo)));
  }

  private drop(drop: TrapDrop): void {
    this.counts.dropped[drop.reason]++;
    try {
      this.handlers.onDrop(drop);
    } catch (err: unknown) {
      this.reportError(err);
    }
  }

  private reportError(err: unknown): void {
    try {
      this.handlers.onError(err instanceof Error ? err : new Error(String(err)));
    } catch (again: unknown) {
      // The error handler itself failed: nothing else to tell, and nothing may escape.
      void again;
    }
  }

  private trimKeyCache(): void {
    if (++this.sinceCacheCheck < KEY_CACHE_CHECK_EVERY) return;
    this.sinceCacheCheck = 0;
    const cache = (snmp.Authentication as { authToKeyCache?: Record<string, unknown> }).authToKeyCache;
    if (cache === undefined || Object.keys(cache).length <= KEY_CACHE_LIMIT) return;
    for (const key of Object.keys(cache)) delete cache[key];
  }
}

// ---------------------------------------------------------------------------------------------
// Options

function validateOptions(options: TrapListenOptions): ValidOptions {
  const family = isIP(options.address);
  if (family === 0)
    throw new RangeError(
      `trap listener address must be an IP address, got ${JSON.stringify(options.address)}`,
    );
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535)
    throw new RangeError(`trap listener port must be an integer from 1 to 65535, got ${options.port}`);
  for (const community of options.communities) {
    if (typeof community !== 'string' || community.length === 0 || community.length > 255)
      throw new RangeError('trap communities must be non-empty strings of at most 255 characters');
  }
  const engine = ENGINE_ID.exec(options.engineId);
  if (engine === null)
    throw new RangeError('trap listener engineId must be 5 to 32 octets in hex (RFC 3411 SnmpEngineID)');
  const names = new Set<string>();
  const users = options.users.map((user): snmp.User => {
    if (user.name.length === 0 || user.name.length > 32)
      throw new RangeError('SNMPv3 user names must have 1 to 32 characters (RFC 3414 usmUserName)');
    // net-snmp keeps one entry per user name: two devices cannot use one name with two passphrases.
    if (names.has(user.name)) throw new RangeError(`SNMPv3 user ${JSON.stringify(user.name)} is given twice`);
    names.add(user.name);
    const auth = AUTH_PROTOCOLS[user.authProtocol];
    if (auth === undefined)
      throw new RangeError(`unsupported SNMPv3 auth protocol for ${JSON.stringify(user.name)}`);
    checkPassphrase(user.name, 'auth', user.authPassphrase);
    if (user.level === 'authNoPriv') {
      return {
        name: user.name,
        level: snmp.SecurityLevel.authNoPriv,
        authProtocol: auth,
        authKey: user.authPassphrase,
      };
    }
    const priv = PRIV_PROTOCOLS[user.privProtocol];
    if (priv === undefined)
      throw new RangeError(`unsupported SNMPv3 privacy protocol for ${JSON.stringify(user.name)}`);
    checkPassphrase(user.name, 'privacy', user.privPassphrase);
    return {
      name: user.name,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: auth,
      authKey: user.authPassphrase,
      privProtocol: priv,
      privKey: user.privPassphrase,
    };
  });
  return {
    address: options.address,
    port: options.port,
    family: family === 6 ? 'IPv6' : 'IPv4',
    communities: [...new Set(options.communities)],
    users,
    engineId: (engine[1] ?? '').toLowerCase(),
  };
}

function checkPassphrase(user: string, what: string, passphrase: string): void {
  // The passphrase itself never goes into the message.
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE)
    throw new RangeError(
      `the ${what} passphrase of SNMPv3 user ${JSON.stringify(user)} must have at least ${MIN_PASSPHRASE} characters`,
    );
}

function bindError(source: string, config: ValidOptions, err: Error): UpstreamError {
  const code = (err as { code?: unknown }).code;
  const where = formatHostPort(config.address, config.port);
  let ours: TrapReceiverErrorCode = 'BIND_FAILED';
  let message = `cannot listen for traps on udp ${where}: ${err.message}`;
  if (code === 'EADDRINUSE') {
    ours = 'ADDRESS_IN_USE';
    message = `udp ${where} is already in use (another trap receiver, snmptrapd?)`;
  } else if (code === 'EACCES' || code === 'EPERM') {
    ours = 'PERMISSION_DENIED';
    message =
      config.port < 1024
        ? `udp port ${config.port} needs root or CAP_NET_BIND_SERVICE: choose a port above 1023 and forward 162 to it`
        : `not allowed to listen on udp ${where}`;
  } else if (code === 'EADDRNOTAVAIL') {
    ours = 'ADDRESS_NOT_AVAILABLE';
    message = `${config.address} is not an address of this machine`;
  }
  return new UpstreamError(source, ours, message, { cause: err });
}

function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Errors reported by net-snmp about one datagram

function classifyError(err: unknown, source: TrapSourceAddress | null): TrapDrop {
  const name = err instanceof Error ? err.name : '';
  const message = messageOf(err);
  const code = (err as { code?: unknown }).code;
  switch (name) {
    case 'ResponseInvalidError':
      if (code === snmp.ResponseInvalidCode.EAuthFailure)
        return {
          reason: 'authFailure',
          source,
          detail: 'SNMPv3 digest mismatch (wrong auth passphrase or protocol)',
        };
      if (code === snmp.ResponseInvalidCode.ECouldNotDecrypt)
        return {
          reason: 'decryptFailure',
          source,
          detail: 'SNMPv3 PDU did not decrypt (wrong privacy passphrase or protocol)',
        };
      return { reason: 'malformed', source, detail: short(message) };
    case 'RequestFailedError': {
      if (message.startsWith('Local community not found'))
        // The community it carried is not repeated: it may be a mistyped secret.
        return { reason: 'badCommunity', source, detail: 'community not accepted' };
      const user = /^Local user not found.* with user (.*)$/s.exec(message);
      if (user !== null)
        return {
          reason: 'unknownUser',
          source,
          detail: `SNMPv3 user ${JSON.stringify(short(user[1] ?? '', 64))} not configured`,
        };
      if (/requires (authentication|privacy)/.test(message))
        return { reason: 'securityLevel', source, detail: short(message) };
      return { reason: 'malformed', source, detail: short(message) };
    }
    case 'RequestInvalidError':
      return { reason: 'unexpectedPdu', source, detail: short(message) };
    case 'ProcessingError': {
      const inner = (err as { error?: unknown }).error;
      const buffer = (err as { buffer?: unknown }).buffer;
      const size = Buffer.isBuffer(buffer) ? buffer.length : 0;
      return {
        reason: 'malformed',
        source,
        detail: `undecodable datagram of ${size} bytes: ${short(messageOf(inner))}`,
      };
    }
    default:
      return { reason: 'malformed', source, detail: short(message) };
  }
}

function sourceOf(rinfo: unknown): TrapSourceAddress | null {
  if (typeof rinfo !== 'object' || rinfo === null) return null;
  const { address, port, family } = rinfo as { address?: unknown; port?: unknown; family?: unknown };
  if (typeof address !== 'string' || typeof port !== 'number') return null;
  return { address, port, family: family === 'IPv6' ? 'IPv6' : 'IPv4' };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function short(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Notifications

type Decoded = { trap: ReceivedTrap } | { drop: TrapDrop };

/**
 * Turns what net-snmp hands over for one notification into a ReceivedTrap, or says why it is
 * dropped. `users`: the configured v3 user names. Exported for tests.
 */
export function decodeNotification(data: unknown, users: ReadonlySet<string>): Decoded {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as {
    pdu?: unknown;
    rinfo?: unknown;
    [CAPTURED]?: Captured;
  };
  const source = sourceOf(raw.rinfo);
  const malformed = (detail: string): Decoded => ({ drop: { reason: 'malformed', source, detail } });
  if (source === null) return malformed('notification without a source address');
  if (typeof raw.pdu !== 'object' || raw.pdu === null) return malformed('notification without a PDU');
  const pdu = raw.pdu as {
    type?: unknown;
    varbinds?: unknown;
    enterprise?: unknown;
    agentAddr?: unknown;
    generic?: unknown;
    specific?: unknown;
    upTime?: unknown;
    contextEngineID?: unknown;
    scoped?: unknown;
    user?: unknown;
    community?: unknown;
  };
  const captured = raw[CAPTURED];
  const version = versionOf(captured?.version ?? null, pdu.type, pdu.scoped === true);

  let community: string | null = null;
  let user: string | null = null;
  let engineId: string | null = null;
  if (version === '3') {
    // net-snmp lets through a noAuthNoPriv message with an empty user name: not a user of ours.
    if (typeof pdu.user !== 'string' || !users.has(pdu.user)) {
      const name = typeof pdu.user === 'string' ? pdu.user : '';
      return {
        drop: {
          reason: 'unknownUser',
          source,
          detail: `SNMPv3 user ${JSON.stringify(short(name, 64))} not configured`,
        },
      };
    }
    user = pdu.user;
    const contextEngine = typeof pdu.contextEngineID === 'string' ? pdu.contextEngineID.toLowerCase() : null;
    // For an inform the authoritative engine is this receiver: the sender is in the context.
    engineId = pdu.type === PDU.inform ? contextEngine : (captured?.authoritativeEngineId ?? contextEngine);
  } else {
    community = typeof pdu.community === 'string' ? pdu.community : null;
  }

  const varbinds: SnmpVarbind[] = [];
  for (const rawVarbind of Array.isArray(pdu.varbinds) ? (pdu.varbinds as unknown[]) : []) {
    const decoded = decodeVarbind(rawVarbind);
    if (typeof decoded === 'string') return malformed(decoded);
    varbinds.push(decoded);
  }

  const base = { source, version, community, user, engineId };
  if (pdu.type === PDU.trapV1) {
    // RFC 3584 section 3.1: generic traps 0-5 are snmpTraps.1-6; enterpriseSpecific (6) is
    // enterprise.0.specific.
    const { enterprise, generic, specific } = pdu;
    if (typeof enterprise !== 'string' || !NUMERIC_OID.test(enterprise) || typeof generic !== 'number')
      return malformed('SNMPv1 trap without enterprise or generic-trap');
    let trapOid: string;
    if (generic >= 0 && generic <= 5) trapOid = `${SNMP_TRAPS}.${generic + 1}`;
    else if (generic === 6 && typeof specific === 'number' && specific >= 0)
      trapOid = `${enterprise}.0.${specific}`;
    else return malformed(`SNMPv1 trap with generic-trap ${generic}`);
    const agentAddr = typeof pdu.agentAddr === 'string' && isIP(pdu.agentAddr) !== 0 ? pdu.agentAddr : null;
    return {
      trap: {
        ...base,
        pdu: 'trap',
        agentAddress: agentAddr !== null && agentAddr !== '0.0.0.0' ? agentAddr : null,
        trapOid,
        upTime: typeof pdu.upTime === 'number' ? pdu.upTime : null,
        varbinds,
      },
    };
  }
  if (pdu.type !== PDU.trapV2 && pdu.type !== PDU.inform)
    return { drop: { reason: 'unexpectedPdu', source, detail: `PDU type ${String(pdu.type)}` } };

  // RFC 3416 section 4.2.6 puts sysUpTime.0 and snmpTrapOID.0 first; they are looked for
  // anywhere, so that a sender that orders them differently is still understood.
  const trapOidVarbind = varbinds.find((vb) => vb.oid === SNMP_TRAP_OID_0);
  if (trapOidVarbind === undefined || trapOidVarbind.value.type !== 'oid')
    return malformed('notification without snmpTrapOID.0');
  const upTimeVarbind = varbinds.find((vb) => vb.oid === SYS_UP_TIME_0);
  const addressVarbind = varbinds.find((vb) => vb.oid === SNMP_TRAP_ADDRESS_0);
  return {
    trap: {
      ...base,
      pdu: pdu.type === PDU.inform ? 'inform' : 'trap',
      agentAddress: addressVarbind?.value.type === 'ipaddress' ? addressVarbind.value.value : null,
      trapOid: trapOidVarbind.value.value,
      upTime: upTimeVarbind?.value.type === 'timeticks' ? upTimeVarbind.value.value : null,
      varbinds: varbinds.filter((vb) => vb.oid !== SNMP_TRAP_OID_0 && vb.oid !== SYS_UP_TIME_0),
    },
  };
}

function versionOf(captured: number | null, pduType: unknown, scoped: boolean): ReceivedTrap['version'] {
  if (captured === snmp.Version1) return '1';
  if (captured === snmp.Version2c) return '2c';
  if (captured === snmp.Version3) return '3';
  if (scoped) return '3';
  return pduType === PDU.trapV1 ? '1' : '2c';
}

/** A varbind as net-snmp parsed it, typed; a string says why it cannot be. */
function decodeVarbind(raw: unknown): SnmpVarbind | string {
  if (typeof raw !== 'object' || raw === null) return 'varbind is not an object';
  const { oid, type, value } = raw as { oid?: unknown; type?: unknown; value?: unknown };
  if (typeof oid !== 'string' || !NUMERIC_OID.test(oid)) return 'varbind without a numeric OID';
  const decoded = decodeValue(type, value);
  return typeof decoded === 'string' ? `${decoded} at ${oid}` : { oid, value: decoded };
}

function decodeValue(type: unknown, value: unknown): SnmpValue | string {
  const int = (): number | string =>
    typeof value === 'number' && Number.isInteger(value) ? value : 'non-integer value';
  const numeric = (t: 'integer' | 'counter32' | 'gauge32' | 'timeticks'): SnmpValue | string => {
    const n = int();
    return typeof n === 'string' ? n : { type: t, value: n };
  };
  switch (type) {
    case BER_TAG.integer:
      return numeric('integer');
    case BER_TAG.counter32:
      return numeric('counter32');
    case BER_TAG.gauge32:
      return numeric('gauge32');
    case BER_TAG.timeTicks:
      return numeric('timeticks');
    case BER_TAG.counter64:
      if (!Buffer.isBuffer(value)) return 'Counter64 without octets';
      try {
        return { type: 'counter64', value: decodeCounter64(value) };
      } catch (err: unknown) {
        return messageOf(err);
      }
    case BER_TAG.octetString:
      if (!Buffer.isBuffer(value)) return 'OCTET STRING without octets';
      return { type: 'octets', value: decodeOctets(value) };
    case BER_TAG.opaque:
      return Buffer.isBuffer(value)
        ? { type: 'octets', value: `0x${value.toString('hex')}` }
        : 'Opaque without octets';
    case BER_TAG.oid:
      return typeof value === 'string' && NUMERIC_OID.test(value)
        ? { type: 'oid', value }
        : 'bad OBJECT IDENTIFIER';
    case BER_TAG.ipAddress:
      return typeof value === 'string' && isIP(value) === 4 ? { type: 'ipaddress', value } : 'bad IpAddress';
    case BER_TAG.null:
      return { type: 'null' };
    case BER_TAG.noSuchObject:
      return { type: 'noSuchObject' };
    case BER_TAG.noSuchInstance:
      return { type: 'noSuchInstance' };
    case BER_TAG.endOfMibView:
      return { type: 'endOfMibView' };
    // Not SMIv2 types, but BER that net-snmp reads: kept rather than losing the notification.
    case BER_TAG.boolean:
      return { type: 'integer', value: value === true ? 1 : 0 };
    case BER_TAG.bitString:
      return { type: 'octets', value: Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : String(value) };
    default:
      return `unsupported type ${String(type)}`;
  }
}
