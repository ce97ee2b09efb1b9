/**
 * A small pool of UDP sockets shared by every SNMP session, handed to net-snmp as its
 * `dgramModule`. net-snmp opens one socket per session; a poller of thousands of devices would
 * hold thousands of file descriptors (and hit `ulimit -n`). Here each session gets a virtual
 * socket that sends on one of at most `maxSockets` real ones, and each real socket hands an
 * answer to the virtual sockets that sent to its source (address and port).
 *
 * Handing an answer to a session that did not ask is harmless: net-snmp drops a message whose
 * request id it has not registered (Session.prototype.onMsg). So when a session talks to a host
 * name (the answer comes from its address), answers from that port go to every session on the
 * real socket that sent to a name: rare, and cheaper than resolving names here.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';

/** The part of `dgram.Socket` net-snmp's Session uses. */
interface SessionSocket {
  on(event: 'message' | 'close' | 'error', listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- net-snmp's listeners
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    port: number,
    address: string,
    callback?: (error: Error | null, bytes: number) => void,
  ): void;
  close(callback?: () => void): void;
  ref(): unknown;
  unref(): unknown;
  bind(): never;
}

interface RealSocket {
  readonly socket: dgram.Socket;
  /** Virtual sockets by the `address:port` they sent to. */
  readonly byPeer: Map<string, Set<VirtualSocket>>;
  /** Virtual sockets that sent to a host name, by port. */
  readonly byNamePort: Map<number, Set<VirtualSocket>>;
  readonly members: Set<VirtualSocket>;
  /** Members holding a reference (a request in flight). */
  refs: number;
}

export interface UdpSocketPoolStats {
  /** Real sockets open now. */
  readonly sockets: number;
  /** Virtual sockets (net-snmp sessions) open now. */
  readonly sessions: number;
  /** Datagrams that came from a peer no session had sent to (dropped). */
  readonly strayDatagrams: number;
}

export class UdpSocketPool {
  private readonly real: RealSocket[] = [];
  private stray = 0;

  /**
   * @param maxSockets real sockets at most (file descriptors held by SNMP polling)
   * @param type 'udp4' or 'udp6'
   */
  constructor(
    private readonly maxSockets = 16,
    private readonly type: 'udp4' | 'udp6' = 'udp4',
  ) {
    if (!Number.isInteger(maxSockets) || maxSockets < 1 || maxSockets > 4096)
      throw new RangeError(`maxSockets must be an integer from 1 to 4096, got ${maxSockets}`);
  }

  /** The `dgramModule` net-snmp takes in its session options. */
  readonly dgramModule = {
    createSocket: (type: string): SessionSocket => {
      if (type !== this.type)
        throw new RangeError(`this socket pool is ${this.type}; a session asked for ${type}`);
      return new VirtualSocket(this);
    },
  };

  stats(): UdpSocketPoolStats {
    let sessions = 0;
    for (const r of this.real) sessions += r.members.size;
    return { sockets: this.real.length, sessions, strayDatagrams: this.stray };
  }

  /** Closes every real socket (their sessions see 'close'). */
  close(): void {
    for (const r of [...this.real]) {
      for (const member of [...r.members]) member.close();
    }
  }

  /** @internal the real socket with the fewest sessions, opening one while under the bound. */
  attach(member: VirtualSocket): RealSocket {
    let best: RealSocket | undefined;
    for (const r of this.real) if (best === undefined || r.members.size < best.members.size) best = r;
    if (best === undefined || (best.members.size > 0 && this.real.length < this.maxSockets)) {
      best = this.open();
    }
    best.members.add(member);
    return best;
  }

  /** @internal */
  detach(member: VirtualSocket, real: RealSocket): void {
    real.members.delete(member);
    for (const [key, set] of real.byPeer) {
      set.delete(member);
      if (set.size === 0) real.byPeer.delete(key);
    }
    for (const [key, set] of real.byNamePort) {
      set.delete(member);
      if (set.size === 0) real.byNamePort.delete(key);
    }
    if (real.members.size === 0) {
      this.real.splice(this.real.indexOf(real), 1);
      real.socket.close();
    }
  }

  /** @internal a member's reference count on its real socket changed. */
  reference(real: RealSocket, delta: 1 | -1): void {
    real.refs += delta;
    if (real.refs > 0) real.socket.ref();
    else real.socket.unref();
  }

  private open(): RealSocket {
    const socket = dgram.createSocket(this.type);
    socket.unref();
    const real: RealSocket = {
      socket,
      byPeer: new Map(),
      byNamePort: new Map(),
      members: new Set(),
      refs: 0,
    };
    socket.on('message', (buffer: Buffer, rinfo: dgram.RemoteInfo) => {
      const exact = real.byPeer.get(`${rinfo.address}:${rinfo.port}`);
      const named = real.byNamePort.get(rinfo.port);
      if (!exact && !named) {
        this.stray += 1;
        return;
      }
      for (const member of exact ?? []) member.deliver(buffer, rinfo);
      for (const member of named ?? []) member.deliver(buffer, rinfo);
    });
    socket.on('error', (err: Error) => {
      for (const member of [...real.members]) member.fail(err);
    });
    this.real.push(real);
    return real;
  }
}

/** What one net-snmp session sees as its socket. */
class VirtualSocket extends EventEmitter implements SessionSocket {
  private real: RealSocket | null;
  private referenced = false;

  constructor(private readonly pool: UdpSocketPool) {
    super();
    this.real = pool.attach(this);
  }

  send(
    buffer: Buffer,
    offset: number,
    length: number,
    port: number,
    address: string,
    callback?: (error: Error | null, bytes: number) => void,
  ): void {
    const real = this.real;
    if (real === null) {
      const err = Object.assign(new Error('Not running'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });
      if (callback) queueMicrotask(() => callback(err, 0));
      return;
    }
    if (isIP(address) !== 0) addTo(real.byPeer, `${address}:${port}`, this);
    else addTo(real.byNamePort, port, this);
    real.socket.send(buffer, offset, length, port, address, callback);
  }

  close(callback?: () => void): void {
    const real = this.real;
    if (real === null) {
      // As dgram does: closing a closed socket is a caller error.
      throw Object.assign(new Error('Not running'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });
    }
    this.unref();
    this.real = null;
    this.pool.detach(this, real);
    queueMicrotask(() => {
      this.emit('close');
      callback?.();
    });
  }

  ref(): this {
    if (!this.referenced && this.real !== null) {
      this.referenced = true;
      this.pool.reference(this.real, 1);
    }
    return this;
  }

  unref(): this {
    if (this.referenced && this.real !== null) {
      this.referenced = false;
      this.pool.reference(this.real, -1);
    }
    return this;
  }

  bind(): never {
    throw new Error('sessions on the shared SNMP socket pool cannot bind a source address or port');
  }

  /** @internal */
  deliver(buffer: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.real !== null) this.emit('message', buffer, rinfo);
  }

  /** @internal */
  fail(err: Error): void {
    if (this.real !== null) this.emit('error', err);
  }
}

function addTo<K>(map: Map<K, Set<VirtualSocket>>, key: K, member: VirtualSocket): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(member);
}
