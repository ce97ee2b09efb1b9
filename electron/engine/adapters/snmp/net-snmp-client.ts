import { hash } from 'node:crypto';
import snmp from 'net-snmp';
import type { Session, User, Varbind } from 'net-snmp';
import type {
  SnmpAuthProtocol,
  SnmpClient,
  SnmpErrorCode,
  SnmpPrivProtocol,
  SnmpTarget,
  SnmpV3Target,
  SnmpValue,
  SnmpVarbind,
} from '../../ports/snmp-client';
import { UpstreamError } from '../../ports/upstream-error';
import { UdpSocketPool, type UdpSocketPoolStats } from './udp-socket-pool';
import { BER_TAG, NUMERIC_OID } from './ber-tags';

export interface NetSnmpClientOptions {
  /**
   * Real UDP sockets shared by all sessions (see UdpSocketPool). Default 16: thousands of devices
   * must not exhaust file descriptors.
   */
  readonly maxSockets?: number;
  /**
   * Called (never throwing back into net-snmp) when a session reports an error outside any request,
   * such as an undecodable datagram. Wire a logger here; the default ignores it.
   */
  readonly onSessionError?: (source: string, err: unknown) => void;
}

interface SessionEntry {
  readonly session: Session;
  readonly closed: Promise<void>;
}

/** Largest GetBulk max-repetitions accepted: it is an INTEGER (0..2147483647) in RFC 3416 section 3. */
const MAX_REPETITIONS_LIMIT = 2_147_483_647;
/**
 * Column OIDs in one GetBulk at most: a profile's table reads up to about 15 columns, and an answer
 * of 16 columns by 25 rows (some 15 KB) is still one UDP datagram any agent can send.
 */
const MAX_COLUMNS_PER_REQUEST = 16;
/** error-status tooBig(1), RFC 3416 section 3. */
const ERROR_STATUS_TOO_BIG = 1;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * SnmpClient on npm `net-snmp`: SNMPv2c and SNMPv3 (USM, SHA-2 and AES), exactly one attempt per
 * request (services own retries), one session per target and credentials reused until `close()`,
 * all sessions on a small shared pool of UDP sockets, GetBulk subtree walks that stop at the end
 * of the subtree, failures as UpstreamError with an SnmpErrorCode.
 */
export class NetSnmpClient implements SnmpClient {
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly onSessionError: (source: string, err: unknown) => void;
  private readonly pool: UdpSocketPool;
  private closing = false;

  constructor(options: NetSnmpClientOptions = {}) {
    this.onSessionError = options.onSessionError ?? (() => undefined);
    this.pool = new UdpSocketPool(options.maxSockets ?? 16);
  }

  /** Sockets and sessions held now (poll health, benchmarks). */
  socketStats(): UdpSocketPoolStats {
    return this.pool.stats();
  }

  async get(target: SnmpTarget, oids: readonly string[], signal: AbortSignal): Promise<SnmpVarbind[]> {
    validateTarget(target);
    const source = sourceOf(target);
    const requested = oids.map((oid) => normaliseOid(oid));
    if (requested.length === 0) return [];
    const raw = await this.request<Varbind[]>(target, signal, (session, done) => {
      session.get(requested, (err, varbinds) => done(err, varbinds));
    });
    if (raw.length !== requested.length) {
      throw new UpstreamError(
        source,
        'PROTOCOL',
        `agent answered ${raw.length} varbinds for ${requested.length} OIDs`,
      );
    }
    return raw.map((vb, i) => {
      if (vb.oid !== requested[i]) {
        throw new UpstreamError(
          source,
          'PROTOCOL',
          `agent answered OID ${vb.oid} where ${String(requested[i])} was asked`,
        );
      }
      return { oid: vb.oid, value: decodeValue(vb, source) };
    });
  }

  async subtree(
    target: SnmpTarget,
    rootOid: string,
    maxRepetitions: number,
    signal: AbortSignal,
  ): Promise<SnmpVarbind[]> {
    validateTarget(target);
    const root = normaliseOid(rootOid);
    checkRepetitions(maxRepetitions);
    const cursor = walkCursor(root);
    await this.walk(target, [cursor], maxRepetitions, signal);
    return cursor.out;
  }

  async walkColumns(
    target: SnmpTarget,
    columnOids: readonly string[],
    maxRepetitions: number,
    signal: AbortSignal,
  ): Promise<SnmpVarbind[][]> {
    validateTarget(target);
    const roots = columnOids.map((oid) => normaliseOid(oid));
    checkRepetitions(maxRepetitions);
    const cursors = roots.map((root) => walkCursor(root));
    await this.walk(target, cursors, maxRepetitions, signal);
    return cursors.map((c) => c.out);
  }

  /**
   * Our own GetBulk loop rather than net-snmp's walk/subtree: each cursor stops at the first OID
   * outside its subtree (or past its bound), agents whose OIDs do not increase are refused (a walk
   * that would never end), and the AbortSignal is checked before every request. One request carries
   * the cursors still under way (at most MAX_COLUMNS_PER_REQUEST, the first ones first); an agent's
   * tooBig halves the repetitions, then the columns per request, for the rest of the walk.
   */
  private async walk(
    target: SnmpTarget,
    cursors: readonly WalkCursor[],
    maxRepetitions: number,
    signal: AbortSignal,
  ): Promise<void> {
    const source = sourceOf(target);
    // Hashed once per walk rather than once per page.
    const key = sessionKey(target);
    let repetitions = maxRepetitions;
    let width = MAX_COLUMNS_PER_REQUEST;
    let active = cursors.filter((c) => !c.done);
    while (active.length > 0) {
      const batch = active.length <= width ? active : active.slice(0, width);
      const from = batch.map((c) => c.cursor);
      const reps = repetitions;
      let rows: (Varbind | Varbind[])[];
      try {
        rows = await this.request<(Varbind | Varbind[])[]>(
          target,
          signal,
          (session, done) => {
            session.getBulk(from, 0, reps, (err, varbinds) => done(err, varbinds));
          },
          key,
        );
      } catch (err: unknown) {
        if (!isTooBig(err)) throw err;
        // RFC 3416 section 4.2.3 lets an agent truncate a GetBulk answer; some refuse it instead.
        if (repetitions > 1) repetitions = Math.max(1, repetitions >> 1);
        else if (batch.length > 1) width = Math.ceil(batch.length / 2);
        else throw err;
        continue;
      }
      let read = 0;
      for (let j = 0; j < batch.length; j++) {
        const page = rows[j];
        // A truncated answer may carry nothing for the last columns: they are asked again.
        if (page === undefined) continue;
        const column = Array.isArray(page) ? page : [page];
        read += column.length;
        advance(batch[j]!, column, source);
      }
      if (read === 0) {
        // Asking again would get the same nothing: a walk that never ends.
        throw new UpstreamError(
          source,
          'PROTOCOL',
          `agent answered a GetBulk of ${from.length} OIDs with no varbind`,
        );
      }
      if (batch.some((c) => c.done)) active = active.filter((c) => !c.done);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const entries = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      entries.map((entry) => {
        closeQuietly(entry.session);
        return entry.closed;
      }),
    );
  }

  /**
   * Sends one request on the (reused) session of `target` and settles once: on the library's
   * callback, on abort, or when the client is closed. The callback only hands data over: all
   * decoding happens after the promise settles, so nothing throws inside net-snmp's listeners.
   */
  private request<T>(
    target: SnmpTarget,
    signal: AbortSignal,
    send: (session: Session, done: (err: Error | null, result: T | undefined) => void) => void,
    key?: string,
  ): Promise<T> {
    const source = sourceOf(target);
    return new Promise<T>((resolve, reject) => {
      if (this.closing) {
        reject(new UpstreamError(source, 'ABORTED', 'SNMP client is closed'));
        return;
      }
      if (signal.aborted) {
        reject(abortedError(source, signal));
        return;
      }
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        // net-snmp cannot cancel one request: its late answer or timeout lands in the settled guard.
        reject(abortedError(source, signal));
      };
      const stopWatching = whenAborted(signal, onAbort);
      const done = (err: Error | null, result: T | undefined): void => {
        if (settled) return;
        settled = true;
        stopWatching();
        if (err !== null) {
          reject(this.translate(err, source));
        } else if (result === undefined) {
          reject(new UpstreamError(source, 'PROTOCOL', 'agent answered without varbinds'));
        } else {
          resolve(result);
        }
      };
      try {
        const session = this.sessionFor(target, key ?? sessionKey(target));
        // net-snmp copies the session's timeout into each request when it is created (Req in
        // index.js), synchronously inside get/getBulk: setting it here gives this target's timeout
        // to this request while the session stays shared per (host, port, community).
        session.timeout = target.timeoutMs;
        send(session, done);
      } catch (err: unknown) {
        done(err instanceof Error ? err : new Error(String(err)), undefined);
      }
    });
  }

  /** `key` is sessionKey(target), computed once per walk by subtree(). */
  private sessionFor(target: SnmpTarget, key: string): Session & { timeout: number } {
    let entry = this.sessions.get(key);
    if (entry === undefined) {
      const source = sourceOf(target);
      // net-snmp defaults to SNMPv1 and to one retry: v2c is required for GetBulk and Counter64,
      // and services own retries (DESIGN.md section 4).
      const common = {
        port: target.port,
        retries: 0,
        timeout: target.timeoutMs,
        backoff: 1,
        dgramModule: this.pool.dgramModule,
      };
      const session =
        target.version === '2c'
          ? snmp.createSession(target.host, target.community, { ...common, version: snmp.Version2c })
          : snmp.createV3Session(target.host, v3User(target), {
              ...common,
              version: snmp.Version3,
              ...(target.context ? { context: target.context } : {}),
            });
      // Without a listener an undecodable datagram (emitted as 'error') would crash the process.
      session.on('error', (err: unknown) => {
        try {
          this.onSessionError(source, err);
        } catch (hookErr: unknown) {
          // The hook is the caller's code: its failure must not escape into net-snmp's emitter.
          void hookErr;
        }
      });
      const closed = new Promise<void>((resolve) => {
        session.on('close', () => {
          if (this.sessions.get(key)?.session === session) this.sessions.delete(key);
          resolve();
        });
      });
      entry = { session, closed };
      this.sessions.set(key, entry);
    }
    return entry.session as Session & { timeout: number };
  }

  private translate(err: Error, source: string): UpstreamError {
    if (err instanceof UpstreamError) return err;
    const code = this.codeFor(err);
    return new UpstreamError(source, code, `SNMP ${code.toLowerCase()}: ${err.message}`, { cause: err });
  }

  private codeFor(err: Error): SnmpErrorCode {
    switch (err.name) {
      case 'RequestTimedOutError':
        return 'TIMEOUT';
      case 'ResponseInvalidError': {
        const code = (err as { code?: unknown }).code;
        if (code === snmp.ResponseInvalidCode.EAuthFailure) return 'AUTH';
        if (code === snmp.ResponseInvalidCode.ECouldNotDecrypt) return 'DECRYPT';
        return 'PROTOCOL';
      }
      case 'RequestFailedError':
      case 'RequestInvalidError':
        return 'PROTOCOL';
      default:
        break;
    }
    // net-snmp cancels pending requests with this message when the socket closes under them.
    if (err.message === 'Socket forcibly closed') return this.closing ? 'ABORTED' : 'UNREACHABLE';
    const sysCode = (err as { code?: unknown }).code;
    if (typeof sysCode === 'string' && /^E[A-Z]+$/.test(sysCode)) return 'UNREACHABLE';
    return 'PROTOCOL';
  }
}

function sourceOf(target: SnmpTarget): string {
  return `snmp:${target.host}:${target.port}`;
}

/** Caller mistakes are RangeErrors, thrown before anything is sent, never an UpstreamError. */
function validateTarget(target: SnmpTarget): void {
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65_535) {
    throw new RangeError(`SNMP port must be an integer from 1 to 65535, got ${target.port}`);
  }
  if (!Number.isFinite(target.timeoutMs) || target.timeoutMs <= 0) {
    throw new RangeError(`SNMP timeoutMs must be a positive number, got ${target.timeoutMs}`);
  }
  const version: string = target.version;
  if (version === '3') validateV3(target as SnmpV3Target);
  else if (version !== '2c') throw new RangeError(`SNMP version must be '2c' or '3', got ${version}`);
}

const AUTH_PROTOCOLS: Readonly<Record<SnmpAuthProtocol, number>> = {
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
};
const PRIV_PROTOCOLS: Readonly<Record<SnmpPrivProtocol, number>> = {
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
};

/** What a v3 target needs at its level; passphrases of at least 8 characters (RFC 3414 section 11.2). */
function validateV3(target: SnmpV3Target): void {
  if (!target.user) throw new RangeError('SNMPv3 needs a user name');
  const needsAuth = target.level === 'authNoPriv' || target.level === 'authPriv';
  if (!['noAuthNoPriv', 'authNoPriv', 'authPriv'].includes(target.level))
    throw new RangeError(`SNMPv3 level must be noAuthNoPriv, authNoPriv or authPriv, got ${target.level}`);
  if (needsAuth) {
    if (!target.authProtocol || !(target.authProtocol in AUTH_PROTOCOLS))
      throw new RangeError(
        `SNMPv3 ${target.level} needs an auth protocol (sha, sha224, sha256, sha384, sha512)`,
      );
    if (!target.authPassphrase || target.authPassphrase.length < 8)
      throw new RangeError('SNMPv3 auth passphrase must have at least 8 characters');
  }
  if (target.level === 'authPriv') {
    if (!target.privProtocol || !(target.privProtocol in PRIV_PROTOCOLS))
      throw new RangeError('SNMPv3 authPriv needs a privacy protocol (aes, aes256b, aes256r)');
    if (!target.privPassphrase || target.privPassphrase.length < 8)
      throw new RangeError('SNMPv3 privacy passphrase must have at least 8 characters');
  }
}

function v3User(target: SnmpV3Target): User {
  const level =
    target.level === 'authPriv'
      ? snmp.SecurityLevel.authPriv
      : target.level === 'authNoPriv'
        ? snmp.SecurityLevel.authNoPriv
        : snmp.SecurityLevel.noAuthNoPriv;
  return {
    name: target.user,
    level,
    ...(target.level !== 'noAuthNoPriv' && target.authProtocol
      ? { authProtocol: AUTH_PROTOCOLS[target.authProtocol], authKey: target.authPassphrase ?? '' }
      : {}),
    ...(target.level === 'authPriv' && target.privProtocol
      ? { privProtocol: PRIV_PROTOCOLS[target.privProtocol], privKey: target.privPassphrase ?? '' }
      : {}),
  };
}

/**
 * One session per agent and credentials. The passphrases are part of the identity (a changed
 * secret must open a new session) but are hashed, so the map never holds them as keys.
 */
function sessionKey(target: SnmpTarget): string {
  const parts =
    target.version === '2c'
      ? [target.host, target.port, '2c', target.community]
      : [
          target.host,
          target.port,
          '3',
          target.user,
          target.level,
          target.authProtocol ?? '',
          target.authPassphrase ?? '',
          target.privProtocol ?? '',
          target.privPassphrase ?? '',
          target.context ?? '',
        ];
  return hash('sha256', JSON.stringify(parts), 'hex');
}

const abortCallbacks = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once `signal` aborts, until the returned function is called. One 'abort'
 * listener per signal however many requests share it: the collector hands one signal to all its
 * polls, and a listener per request in flight would pass Node's limit of 10 listeners and warn
 * (MaxListenersExceededWarning) as soon as more than 10 requests are in flight.
 */
function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = abortCallbacks.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    abortCallbacks.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        abortCallbacks.delete(signal);
        for (const call of [...created]) call();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}

function abortedError(source: string, signal: AbortSignal): UpstreamError {
  return new UpstreamError(source, 'ABORTED', 'SNMP request aborted', { cause: signal.reason });
}

function normaliseOid(oid: string): string {
  const trimmed = oid.startsWith('.') ? oid.slice(1) : oid;
  if (!NUMERIC_OID.test(trimmed)) throw new RangeError(`not a numeric OID: ${JSON.stringify(oid)}`);
  return trimmed;
}

function closeQuietly(session: Session): void {
  try {
    session.close();
  } catch (err: unknown) {
    // dgram throws ERR_SOCKET_DGRAM_NOT_RUNNING when the socket is already closed: nothing to release.
    if (!(err instanceof Error && (err as { code?: unknown }).code === 'ERR_SOCKET_DGRAM_NOT_RUNNING'))
      throw err;
  }
}

/** One subtree being walked: where it stands and what it has read. */
interface WalkCursor {
  /** `root.`: the first OID outside it ends this walk. */
  readonly prefix: string;
  /** Last OID of this walk's range, inclusive; undefined: up to the end of the subtree. */
  bound: string | undefined;
  /** Last OID read (the root before the first page): the next GetBulk starts after it. */
  cursor: string;
  readonly out: SnmpVarbind[];
  done: boolean;
}

function walkCursor(root: string): WalkCursor {
  return { prefix: `${root}.`, bound: undefined, cursor: root, out: [], done: false };
}

/** Takes one cursor's varbinds of a GetBulk answer, up to the first one that ends its walk. */
function advance(c: WalkCursor, column: readonly Varbind[], source: string): void {
  for (const vb of column) {
    if (
      isEndMarker(vb) ||
      !vb.oid.startsWith(c.prefix) ||
      (c.bound !== undefined && compareOids(vb.oid, c.bound) > 0)
    ) {
      c.done = true;
      return;
    }
    if (compareOids(vb.oid, c.cursor) <= 0) {
      throw new UpstreamError(
        source,
        'PROTOCOL',
        `agent answered OID ${vb.oid} after ${c.cursor}: OIDs must increase`,
      );
    }
    c.out.push({ oid: vb.oid, value: decodeValue(vb, source) });
    c.cursor = vb.oid;
  }
}

function checkRepetitions(maxRepetitions: number): void {
  if (!Number.isInteger(maxRepetitions) || maxRepetitions < 1 || maxRepetitions > MAX_REPETITIONS_LIMIT) {
    throw new RangeError(
      `maxRepetitions must be an integer from 1 to ${MAX_REPETITIONS_LIMIT}, got ${maxRepetitions}`,
    );
  }
}

/** The agent refused a request as too big for one message (net-snmp's RequestFailedError, status 1). */
function isTooBig(err: unknown): boolean {
  if (!(err instanceof UpstreamError) || err.code !== 'PROTOCOL') return false;
  const cause: unknown = err.cause;
  return (
    cause instanceof Error &&
    cause.name === 'RequestFailedError' &&
    (cause as { status?: unknown }).status === ERROR_STATUS_TOO_BIG
  );
}

function isEndMarker(vb: Varbind): boolean {
  const type: number = vb.type ?? -1;
  return type === BER_TAG.endOfMibView || type === BER_TAG.noSuchObject || type === BER_TAG.noSuchInstance;
}

/**
 * Lexicographic comparison of numeric OIDs, arc by arc (RFC 3416 section 4.2.2 ordering). It runs
 * once per varbind of a walk, so it reads the digits in place (no split, no allocation): an arc
 * with more significant digits is larger, equal lengths compare digit by digit (exact beyond 2^53).
 */
export function compareOids(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    const aEnded = i >= a.length;
    const bEnded = j >= b.length;
    if (aEnded || bEnded) return aEnded === bEnded ? 0 : aEnded ? -1 : 1;
    while (i < a.length - 1 && a.charCodeAt(i) === 0x30 && a.charCodeAt(i + 1) !== 0x2e) i++;
    while (j < b.length - 1 && b.charCodeAt(j) === 0x30 && b.charCodeAt(j + 1) !== 0x2e) j++;
    let endA = i;
    while (endA < a.length && a.charCodeAt(endA) !== 0x2e) endA++;
    let endB = j;
    while (endB < b.length && b.charCodeAt(endB) !== 0x2e) endB++;
    if (endA - i !== endB - j) return endA - i < endB - j ? -1 : 1;
    for (; i < endA; i++, j++) {
      const d = a.charCodeAt(i) - b.charCodeAt(j);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    // Past the dot that ends this arc (or past the end).
    i = endA + 1;
    j = endB + 1;
  }
}

function decodeValue(vb: Varbind, source: string): SnmpValue {
  // Module-level helpers rather than closures: this runs once per varbind (thousands per walk).
  const type: number = vb.type ?? -1;
  switch (type) {
    case BER_TAG.integer:
      return { type: 'integer', value: integerOf(vb, type, source) };
    case BER_TAG.counter32:
      return { type: 'counter32', value: integerOf(vb, type, source) };
    case BER_TAG.gauge32:
      return { type: 'gauge32', value: integerOf(vb, type, source) };
    case BER_TAG.timeTicks:
      return { type: 'timeticks', value: integerOf(vb, type, source) };
    case BER_TAG.counter64:
      return {
        type: 'counter64',
        value: decodeCounter64(bytesOf(vb, type, source), (what) => badValue(vb, source, what)),
      };
    case BER_TAG.octetString:
      return { type: 'octets', value: decodeOctets(bytesOf(vb, type, source)) };
    case BER_TAG.opaque:
      // Opaque wraps arbitrary BER (RFC 2578 section 7.1.9): shown as raw bytes.
      return { type: 'octets', value: `0x${bytesOf(vb, type, source).toString('hex')}` };
    case BER_TAG.oid:
      return { type: 'oid', value: textOf(vb, type, source) };
    case BER_TAG.ipAddress:
      return { type: 'ipaddress', value: textOf(vb, type, source) };
    case BER_TAG.null:
      return { type: 'null' };
    case BER_TAG.noSuchObject:
      return { type: 'noSuchObject' };
    case BER_TAG.noSuchInstance:
      return { type: 'noSuchInstance' };
    case BER_TAG.endOfMibView:
      return { type: 'endOfMibView' };
    default:
      throw badValue(vb, source, `unsupported type ${String(type)}`);
  }
}

function badValue(vb: Varbind, source: string, what: string): UpstreamError {
  return new UpstreamError(source, 'PROTOCOL', `agent answered ${what} for ${vb.oid}`);
}

function integerOf(vb: Varbind, type: number, source: string): number {
  const { value } = vb;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw badValue(vb, source, `a non-integer value of type ${String(type)}`);
  return value;
}

function bytesOf(vb: Varbind, type: number, source: string): Buffer {
  const { value } = vb;
  if (!Buffer.isBuffer(value)) throw badValue(vb, source, `a non-octet value of type ${String(type)}`);
  return value;
}

function textOf(vb: Varbind, type: number, source: string): string {
  const { value } = vb;
  if (typeof value !== 'string') throw badValue(vb, source, `a non-text value of type ${String(type)}`);
  return value;
}

/**
 * Counter64 arrives as the raw content octets of a BER INTEGER: big-endian, possibly with a leading
 * zero octet (9 octets for values >= 2^63). Read as unsigned so agents that omit that octet still
 * decode right; reject anything that does not fit in 64 bits.
 */
export function decodeCounter64(
  raw: Buffer,
  bad: (what: string) => Error = (what) => new RangeError(what),
): bigint {
  let bytes = raw;
  while (bytes.length > 8 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (raw.length === 0 || bytes.length > 8) throw bad(`a Counter64 of ${raw.length} octets`);
  let result = 0n;
  for (const byte of bytes) result = (result << 8n) | BigInt(byte);
  return result;
}

/** Printable UTF-8 stays text; anything else (MAC addresses, binary) becomes `0x` + hex. */
export function decodeOctets(raw: Buffer): string {
  // Fast path, once per octet-string varbind: a C0 control (other than tab, LF, CR) or DEL makes
  // the value binary whatever else it holds; printable ASCII needs no UTF-8 validation.
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? 0;
    if (c >= 0x80) ascii = false;
    else if (c === 0x7f || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d))
      return `0x${raw.toString('hex')}`;
  }
  if (ascii) return raw.toString('latin1');
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch (err: unknown) {
    if (err instanceof TypeError) return `0x${raw.toString('hex')}`;
    throw err;
  }
  return isPrintable(text) ? text : `0x${raw.toString('hex')}`;
}

/** False for C0 controls other than tab, line feed and carriage return, for DEL and the C1 controls. */
function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}
