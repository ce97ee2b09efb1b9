/**
 * The simulated SNMP agents of the poll benchmark, run in a child process of their own (so that
 * their CPU is not counted as Vigie's): one UDP socket per agent on 127.0.0.1, each answering
 * SNMPv2c GetRequests for the 50 scalar objects of a small switch (sysUpTime, sysName and eight
 * IF-MIB columns of six interfaces), with values that change from one request to the next
 * (counters grow, uptime runs, an interface flaps now and then).
 *
 * A light responder rather than net-snmp's Agent: thousands of full agents would spend more CPU
 * than the poller under test on two shared cores. It decodes just what a GetRequest holds (BER,
 * RFC 3416) and encodes the Response; unknown OIDs answer noSuchObject, other PDU types and other
 * communities are dropped (as snmpd does), and an answer larger than `maxResponseBytes` becomes a
 * tooBig error with no varbinds (RFC 3416 section 4.2.1). Vigie's client checks every answer
 * (OIDs, count, types); the benchmark also checks one agent with net-snmp's `snmpget`.
 *
 * Started by snmp-agent-farm.ts with an IPC channel; parameters in VIGIE_FARM (JSON).
 */
import dgram from 'node:dgram';
import type { FarmMessage, FarmObject, FarmParams, FarmRequest } from './snmp-agent-farm';
import { FARM_INTERFACES, FARM_OBJECTS } from './snmp-agent-farm';

// ---------------------------------------------------------------------------------------------
// BER

const TAG_SEQUENCE = 0x30;
const TAG_INTEGER = 0x02;
const TAG_OCTETS = 0x04;
const TAG_OID = 0x06;
const TAG_GET = 0xa0;
const TAG_RESPONSE = 0xa2;
const TAG_COUNTER32 = 0x41;
const TAG_GAUGE32 = 0x42;
const TAG_TIMETICKS = 0x43;
const TAG_COUNTER64 = 0x46;
const NO_SUCH_OBJECT = Buffer.from([0x80, 0x00]);
const ERROR_TOO_BIG = 1;

/** Encodes the object identifier's content octets (X.690 section 8.19). */
function oidContent(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const bytes: number[] = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let g = 0; g < groups.length; g++) bytes.push((groups[g] ?? 0) | (g < groups.length - 1 ? 0x80 : 0));
  }
  return Buffer.from(bytes);
}

/** Writes a definite length at `at`; returns the octets written. */
function writeLength(buf: Buffer, at: number, length: number): number {
  if (length < 0x80) {
    buf[at] = length;
    return 1;
  }
  if (length < 0x100) {
    buf[at] = 0x81;
    buf[at + 1] = length;
    return 2;
  }
  buf[at] = 0x82;
  buf.writeUInt16BE(length, at + 1);
  return 3;
}

function lengthOctets(length: number): number {
  return length < 0x80 ? 1 : length < 0x100 ? 2 : 3;
}

/** An unsigned integer (below 2^64) as INTEGER-style content with tag `tag`; returns the end. */
function writeUnsigned(buf: Buffer, at: number, tag: number, value: bigint): number {
  let n = 1;
  while (n < 9 && value >> BigInt(8 * n - 1) !== 0n) n++;
  buf[at] = tag;
  buf[at + 1] = n;
  for (let i = 0; i < n; i++) buf[at + 2 + i] = Number((value >> BigInt(8 * (n - 1 - i))) & 0xffn);
  return at + 2 + n;
}

/** The same for values below 2^32, without BigInt. */
function writeSmall(buf: Buffer, at: number, tag: number, value: number): number {
  let n = 1;
  while (n < 5 && Math.floor(value / 2 ** (8 * n - 1)) !== 0) n++;
  buf[at] = tag;
  buf[at + 1] = n;
  for (let i = 0; i < n; i++) buf[at + 2 + i] = Math.floor(value / 2 ** (8 * (n - 1 - i))) & 0xff;
  return at + 2 + n;
}

interface Tlv {
  readonly tag: number;
  /** Offset of the content. */
  readonly start: number;
  /** Offset just past the content. */
  readonly end: number;
}

/** Reads the tag and length at `at`, or undefined when they do not fit in `limit`. */
function readTlv(buf: Buffer, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = buf[at] ?? 0;
  const first = buf[at + 1] ?? 0;
  let length = first;
  let start = at + 2;
  if (first >= 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 3 || start + n > limit) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[start + i] ?? 0);
    start += n;
  }
  const end = start + length;
  return end > limit ? undefined : { tag, start, end };
}

// ---------------------------------------------------------------------------------------------
// Values

/** Deterministic per-agent noise in [0, 1). */
function noise(agent: number, salt: number): number {
  let t = (Math.imul(agent + 1, 0x9e3779b1) ^ Math.imul(salt + 7, 0x85ebca77)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const started = Date.now();

class Agent {
  private readonly names: Buffer;
  private readonly ifDescr: Buffer[];
  private readonly bootMs: number;

  constructor(readonly index: number) {
    this.names = Buffer.from(`sw-${String(index).padStart(4, '0')}.bench.example`);
    this.ifDescr = Array.from({ length: FARM_INTERFACES + 1 }, (_, i) =>
      Buffer.from(`GigabitEthernet1/0/${i}`),
    );
    this.bootMs = started - Math.floor(noise(index, 1) * 86_400_000 * 30);
  }

  /** Writes the value TLV of object `o` at `at`; returns the end. */
  writeValue(buf: Buffer, at: number, o: FarmObject, now: number): number {
    const salt = o.ifIndex * 16 + o.column;
    const elapsed = now - started;
    switch (o.kind) {
      case 'timeticks':
        return writeSmall(buf, at, TAG_TIMETICKS, Math.floor((now - this.bootMs) / 10) % 2 ** 32);
      case 'octets': {
        const text = o.ifIndex === 0 ? this.names : (this.ifDescr[o.ifIndex] ?? this.names);
        buf[at] = TAG_OCTETS;
        buf[at + 1] = text.length;
        text.copy(buf, at + 2);
        return at + 2 + text.length;
      }
      case 'integer': {
        // up(1), and down(2) for a few seconds now and then.
        const down = noise(this.index, salt + Math.floor(elapsed / 5000)) < 0.02;
        return writeSmall(buf, at, TAG_INTEGER, down ? 2 : 1);
      }
      case 'counter32': {
        const rate = noise(this.index, salt) * 0.05;
        const base = Math.floor(noise(this.index, salt + 1) * 2 ** 32);
        return writeSmall(buf, at, TAG_COUNTER32, (base + Math.floor(elapsed * rate)) % 2 ** 32);
      }
      case 'counter64': {
        // Bytes at up to ~1 Gb/s; some counters start above 2^53 (exact only as bigint).
        const rate = noise(this.index, salt) * 125_000;
        const base =
          BigInt(Math.floor(noise(this.index, salt + 1) * 2 ** 52)) * (salt % 3 === 0 ? 4096n : 1n);
        const value = (base + BigInt(Math.floor(elapsed * rate))) % 2n ** 64n;
        return writeUnsigned(buf, at, TAG_COUNTER64, value);
      }
      case 'gauge32':
        return writeSmall(buf, at, TAG_GAUGE32, o.ifIndex <= 2 ? 10_000 : 1000);
      default:
        return at;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The responder

const OBJECT_BY_OID = new Map(FARM_OBJECTS.map((o) => [oidContent(o.oid).toString('latin1'), o]));

const stats = { requests: 0, varbinds: 0, dropped: 0, tooBig: 0 };
/** Room for the varbinds of one answer (built first: their length goes in the headers). */
const scratch = Buffer.alloc(65_536);

/** The Response to a GetRequest in `msg`, or undefined to stay silent. */
function answer(agent: Agent, msg: Buffer, community: Buffer, maxBytes: number): Buffer | undefined {
  const top = readTlv(msg, 0, msg.length);
  if (top?.tag !== TAG_SEQUENCE) return undefined;
  const version = readTlv(msg, top.start, top.end);
  if (version?.tag !== TAG_INTEGER || version.end - version.start !== 1 || msg[version.start] !== 1)
    return undefined;
  const comm = readTlv(msg, version.end, top.end);
  if (comm?.tag !== TAG_OCTETS || !msg.subarray(comm.start, comm.end).equals(community)) return undefined;
  const pdu = readTlv(msg, comm.end, top.end);
  if (pdu?.tag !== TAG_GET) return undefined;
  const requestId = readTlv(msg, pdu.start, pdu.end);
  if (requestId?.tag !== TAG_INTEGER) return undefined;
  const errorStatus = readTlv(msg, requestId.end, pdu.end);
  const errorIndex = errorStatus && readTlv(msg, errorStatus.end, pdu.end);
  const list = errorIndex && readTlv(msg, errorIndex.end, pdu.end);
  if (list?.tag !== TAG_SEQUENCE) return undefined;

  // The varbinds, each: SEQUENCE { the OID as asked, its value }.
  const now = Date.now();
  let out = 0;
  let count = 0;
  for (let at = list.start; at < list.end;) {
    const vb = readTlv(msg, at, list.end);
    const oid = vb && readTlv(msg, vb.start, vb.end);
    if (vb?.tag !== TAG_SEQUENCE || oid?.tag !== TAG_OID) return undefined;
    if (out + (vb.end - vb.start) + 32 > scratch.length) return undefined;
    const object = OBJECT_BY_OID.get(msg.toString('latin1', oid.start, oid.end));
    // The varbind's header (at most 3 octets) goes in front once its length is known.
    const body = out + 3;
    msg.copy(scratch, body, vb.start, oid.end);
    let end = body + (oid.end - vb.start);
    if (object === undefined) {
      NO_SUCH_OBJECT.copy(scratch, end);
      end += NO_SUCH_OBJECT.length;
    } else {
      end = agent.writeValue(scratch, end, object, now);
    }
    const length = end - body;
    const header = 1 + lengthOctets(length);
    if (header < 3) scratch.copyWithin(out + header, body, end);
    scratch[out] = TAG_SEQUENCE;
    writeLength(scratch, out + 1, length);
    out += header + length;
    count += 1;
    at = vb.end;
  }

  // The request-id TLV as it came (the first element of the PDU).
  const reqIdBytes = msg.subarray(pdu.start, requestId.end);
  const build = (varbindBytes: number, status: number): Buffer => {
    const listLen = varbindBytes;
    const pduLen = reqIdBytes.length + 3 + 3 + 1 + lengthOctets(listLen) + listLen;
    const msgLen = 3 + 2 + community.length + 1 + lengthOctets(pduLen) + pduLen;
    const buf = Buffer.allocUnsafe(1 + lengthOctets(msgLen) + msgLen);
    let p = 0;
    buf[p++] = TAG_SEQUENCE;
    p += writeLength(buf, p, msgLen);
    buf[p++] = TAG_INTEGER;
    buf[p++] = 1;
    buf[p++] = 1; // version-2c
    buf[p++] = TAG_OCTETS;
    buf[p++] = community.length;
    p += community.copy(buf, p);
    buf[p++] = TAG_RESPONSE;
    p += writeLength(buf, p, pduLen);
    p += reqIdBytes.copy(buf, p);
    buf[p++] = TAG_INTEGER;
    buf[p++] = 1;
    buf[p++] = status;
    buf[p++] = TAG_INTEGER;
    buf[p++] = 1;
    buf[p++] = 0;
    buf[p++] = TAG_SEQUENCE;
    p += writeLength(buf, p, listLen);
    scratch.copy(buf, p, 0, varbindBytes);
    return buf;
  };
  const response = build(out, 0);
  if (response.length <= maxBytes) {
    stats.varbinds += count;
    return response;
  }
  stats.tooBig += 1;
  return build(0, ERROR_TOO_BIG);
}

function send(message: FarmMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const params = JSON.parse(process.env.VIGIE_FARM ?? '{}') as FarmParams;
  const community = Buffer.from(params.community, 'latin1');
  const sockets: dgram.Socket[] = [];
  const ports: number[] = [];
  for (let i = 0; i < params.agents; i++) {
    const agent = new Agent(i);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => {
      stats.dropped += 1;
    });
    socket.on('message', (msg, rinfo) => {
      stats.requests += 1;
      const response = answer(agent, msg, community, params.maxResponseBytes);
      if (response === undefined) stats.dropped += 1;
      else socket.send(response, rinfo.port, rinfo.address);
    });
    sockets.push(socket);
    ports.push(socket.address().port);
  }
  process.on('message', (request: FarmRequest) => {
    if (request.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', stats: { ...stats, cpuMicros: cpu.user + cpu.system } });
    } else {
      for (const s of sockets) s.close();
      process.disconnect();
    }
  });
  send({ type: 'ready', ports });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
});
