/**
 * One in-process SNMP agent (npm `net-snmp`, v2c) on a free UDP port, serving a MibDefinition whose
 * values are computed at request time.
 *
 * Why a port is reserved instead of binding port 0: net-snmp's Listener replaces a falsy port by
 * 161 (`port || 161`), so `createAgent({ port: 0 })` binds 161, which collides between estates
 * (and needs root), and the Agent has no API that reports its bound address. So we bind an
 * ephemeral UDP socket to learn a free port, release it, and start the agent on that number.
 * Another process may take the port in between: the agent's socket is created through the
 * `dgramModule` option (honoured by net-snmp's Listener), which lets us see its 'listening' or
 * 'error' event and retry on EADDRINUSE instead of guessing.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import snmp from 'net-snmp';
import type { Clock } from '../ports/clock';
import { missingCase } from '../../../shared/domain/missing-case';
import { EstateError } from './estate-error';
import {
  encodeCounter64,
  toGauge32,
  toInteger32,
  toWrapped32,
  type MibColumn,
  type MibDefinition,
  type MibSyntax,
  type MibTable,
  type MibValue,
} from './mib-objects';

/** Options of {@link startSnmpAgent}. */
export interface SnmpAgentOptions {
  readonly host: string;
  readonly community: string;
  readonly mib: MibDefinition;
  readonly clock: Clock;
  /** Problems met while serving (unknown community, malformed packet, a failing reading). Never throws back. */
  readonly onError: (error: Error) => void;
  /** How many ports to try before giving up; default 5. */
  readonly maxAttempts?: number;
  /** Picks the port to try; default: a port the kernel just handed out. Tests inject taken ports here. */
  readonly reservePort?: (host: string, type: dgram.SocketType) => Promise<number>;
}

/** A running agent. */
export interface RunningSnmpAgent {
  readonly port: number;
  /** Closes the agent's socket; safe to call more than once. */
  close(): Promise<void>;
}

// --- The slice of net-snmp's agent API used here. Its typings declare createAgent and createMib
// as `any`; these interfaces and guards give the boundary a shape checked at run time. ---

interface NetSnmpMibRequest {
  readonly oid: string;
  readonly instanceNode: { value: unknown };
  done(error?: { errorStatus: snmp.ErrorStatus }): void;
}

type NetSnmpHandler = (request: NetSnmpMibRequest) => void;

interface NetSnmpColumn {
  number: number;
  name: string;
  type: snmp.ObjectType;
  maxAccess: snmp.MaxAccess;
}

type NetSnmpProvider =
  | {
      name: string;
      type: snmp.MibProviderType;
      oid: string;
      scalarType: snmp.ObjectType;
      maxAccess: snmp.MaxAccess;
      handler: NetSnmpHandler;
    }
  | {
      name: string;
      type: snmp.MibProviderType;
      oid: string;
      maxAccess: snmp.MaxAccess;
      tableColumns: NetSnmpColumn[];
      tableIndex?: { columnName: string; foreign?: string }[];
      tableAugments?: string;
      handler: NetSnmpHandler;
    };

interface NetSnmpMib {
  registerProvider(provider: NetSnmpProvider): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
}

interface NetSnmpAgent {
  getAuthorizer(): unknown;
  close(callback: () => void): void;
}

interface NetSnmpAuthorizer {
  addCommunity(community: string): void;
}

function hasMethods(value: unknown, ...names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

function isMib(value: unknown): value is NetSnmpMib {
  return hasMethods(value, 'registerProvider', 'setScalarValue', 'addTableRow');
}

function isAgent(value: unknown): value is NetSnmpAgent {
  return hasMethods(value, 'getAuthorizer', 'close');
}

function isAuthorizer(value: unknown): value is NetSnmpAuthorizer {
  return hasMethods(value, 'addCommunity');
}

function objectType(syntax: MibSyntax): snmp.ObjectType {
  switch (syntax) {
    case 'integer':
      return snmp.ObjectType.Integer;
    case 'octets':
      return snmp.ObjectType.OctetString;
    case 'oid':
      return snmp.ObjectType.OID;
    case 'gauge32':
      return snmp.ObjectType.Gauge32;
    case 'counter32':
      return snmp.ObjectType.Counter32;
    case 'counter64':
      return snmp.ObjectType.Counter64;
    case 'timeticks':
      return snmp.ObjectType.TimeTicks;
    default:
      throw missingCase(syntax);
  }
}

/** The value net-snmp must hold for `syntax`; a reading of the wrong JS type is an estate bug. */
function encode(syntax: MibSyntax, value: MibValue): unknown {
  const wrongType = (): TypeError => new TypeError(`a ${typeof value} cannot be served as ${syntax}`);
  switch (syntax) {
    case 'integer':
      if (typeof value !== 'number') throw wrongType();
      return toInteger32(value);
    case 'gauge32':
      if (typeof value !== 'number') throw wrongType();
      return toGauge32(value);
    case 'counter32':
    case 'timeticks':
      if (typeof value !== 'number') throw wrongType();
      return toWrapped32(value);
    case 'counter64':
      if (typeof value !== 'bigint') throw wrongType();
      return encodeCounter64(value);
    case 'octets':
    case 'oid':
      if (typeof value !== 'string') throw wrongType();
      return value;
    default:
      throw missingCase(syntax);
  }
}

/**
 * A value net-snmp accepts when a row or scalar is first created. It is never served: every
 * request goes through the handler, which computes the real value first.
 */
function placeholder(syntax: MibSyntax): unknown {
  switch (syntax) {
    case 'octets':
      return '';
    case 'oid':
      return '0.0';
    case 'counter64':
      // net-snmp validates a Counter64 given as a Buffer only when it has 8 octets.
      return Buffer.alloc(8);
    case 'integer':
    case 'gauge32':
    case 'counter32':
    case 'timeticks':
      return 0;
    default:
      throw missingCase(syntax);
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Builds net-snmp's Mib from a MibDefinition; the handlers read `clock.now()` at request time. */
function buildMib(definition: MibDefinition, clock: Clock, onError: (error: Error) => void): NetSnmpMib {
  const created: unknown = snmp.createMib();
  if (!isMib(created)) throw new EstateError('START_FAILED', 'net-snmp createMib() did not return a Mib');
  const mib = created;
  const readOnly = snmp.MaxAccess['read-only'];
  const notAccessible = snmp.MaxAccess['not-accessible'];

  // A handler must call done() exactly once and must never throw: it runs inside net-snmp's
  // UDP 'message' listener, where an exception would escape to the process.
  const serve = (request: NetSnmpMibRequest, compute: () => unknown): void => {
    let value: unknown;
    try {
      value = compute();
    } catch (err: unknown) {
      onError(new Error(`training estate: cannot compute ${request.oid}`, { cause: toError(err) }));
      request.done({ errorStatus: snmp.ErrorStatus.GeneralError });
      return;
    }
    request.instanceNode.value = value;
    request.done();
  };

  for (const scalar of definition.scalars) {
    mib.registerProvider({
      name: scalar.name,
      type: snmp.MibProviderType.Scalar,
      oid: scalar.oid,
      scalarType: objectType(scalar.syntax),
      maxAccess: readOnly,
      handler: (request) => serve(request, () => encode(scalar.syntax, scalar.read(clock.now()))),
    });
    mib.setScalarValue(scalar.name, placeholder(scalar.syntax));
  }

  for (const table of definition.tables) registerTable(mib, table, clock, serve, readOnly, notAccessible);
  return mib;
}

function registerTable(
  mib: NetSnmpMib,
  table: MibTable,
  clock: Clock,
  serve: (request: NetSnmpMibRequest, compute: () => unknown) => void,
  readOnly: snmp.MaxAccess,
  notAccessible: snmp.MaxAccess,
): void {
  const columns = new Map<number, MibColumn>(table.columns.map((c) => [c.number, c]));
  const netColumns: NetSnmpColumn[] = table.columns.map((c) => ({
    number: c.number,
    name: c.name,
    type: objectType(c.syntax),
    maxAccess: readOnly,
  }));
  const prefix = `${table.entryOid}.`;
  const handler: NetSnmpHandler = (request) =>
    serve(request, () => {
      // The instance OID is <entry>.<column>.<row> (single integer index).
      const [columnPart, rowPart, ...extra] = request.oid.slice(prefix.length).split('.');
      const column = columns.get(Number(columnPart));
      const row = Number(rowPart);
      if (!request.oid.startsWith(prefix) || !column || !Number.isInteger(row) || extra.length > 0)
        throw new RangeError(`no column for ${request.oid} in ${table.name}`);
      return encode(column.syntax, column.read(row, clock.now()));
    });

  const index = table.index;
  switch (index.kind) {
    case 'column': {
      // Index column first in the row; net-snmp does not serve a not-accessible index column.
      const indexColumn: NetSnmpColumn = {
        number: index.column,
        name: index.name,
        type: snmp.ObjectType.Integer,
        maxAccess: index.accessible ? readOnly : notAccessible,
      };
      if (index.accessible)
        columns.set(index.column, {
          number: index.column,
          name: index.name,
          syntax: 'integer',
          read: (row) => row,
        });
      mib.registerProvider({
        name: table.name,
        type: snmp.MibProviderType.Table,
        oid: table.entryOid,
        maxAccess: notAccessible,
        tableColumns: [indexColumn, ...netColumns],
        tableIndex: [{ columnName: index.name }],
        handler,
      });
      break;
    }
    case 'foreign':
      mib.registerProvider({
        name: table.name,
        type: snmp.MibProviderType.Table,
        oid: table.entryOid,
        maxAccess: notAccessible,
        tableColumns: netColumns,
        tableIndex: [{ columnName: index.name, foreign: index.table }],
        handler,
      });
      break;
    case 'augments':
      mib.registerProvider({
        name: table.name,
        type: snmp.MibProviderType.Table,
        oid: table.entryOid,
        maxAccess: notAccessible,
        tableColumns: netColumns,
        tableAugments: index.table,
        handler,
      });
      break;
    default:
      throw missingCase(index);
  }
  // Rows: foreign/augmented index values come first; a local index sits in its own column.
  for (const row of table.rows)
    mib.addTableRow(table.name, [row, ...table.columns.map((c) => placeholder(c.syntax))]);
}

/** Binds an ephemeral UDP port on `host`, releases it and returns its number. */
function reserveUdpPort(host: string, type: dgram.SocketType): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(type);
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Resolves when the socket is bound, rejects with the bind error. */
function whenBound(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onListening = (): void => {
      socket.off('error', onError);
      resolve();
    };
    const onError = (err: Error): void => {
      socket.off('listening', onListening);
      reject(err);
    };
    socket.once('listening', onListening);
    socket.once('error', onError);
  });
}

function closeAgent(agent: NetSnmpAgent): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      // net-snmp calls back once per socket, after it closed; the estate's agents have one.
      agent.close(() => resolve());
    } catch (err: unknown) {
      // A socket that is already closed throws ERR_SOCKET_DGRAM_NOT_RUNNING: nothing left to do.
      if (err instanceof Error && 'code' in err && err.code === 'ERR_SOCKET_DGRAM_NOT_RUNNING') resolve();
      else reject(toError(err));
    }
  });
}

function errorCode(err: unknown): unknown {
  return err instanceof Error && 'code' in err ? err.code : undefined;
}

/** Starts an agent serving `options.mib` on a free UDP port of `options.host`. */
export async function startSnmpAgent(options: SnmpAgentOptions): Promise<RunningSnmpAgent> {
  const { host, community, clock, onError } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const reservePort = options.reservePort ?? reserveUdpPort;
  const transport: dgram.SocketType = isIPv6(host) ? 'udp6' : 'udp4';
  const mib = buildMib(options.mib, clock, onError);

  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let port: number;
    try {
      port = await reservePort(host, transport);
    } catch (err: unknown) {
      throw new EstateError('PORT_UNAVAILABLE', `cannot bind a UDP port on ${host}`, { cause: err });
    }

    const sockets: dgram.Socket[] = [];
    const dgramModule = {
      createSocket: (type: dgram.SocketType): dgram.Socket => {
        const socket = dgram.createSocket(type);
        sockets.push(socket);
        return socket;
      },
    };
    let serving = false;
    // net-snmp reports through this callback both errors (bad community, undecodable packet,
    // socket errors) and, with a null error, every response it sent.
    const callback = (error: unknown): void => {
      if (serving && error) onError(toError(error));
    };
    const created: unknown = snmp.createAgent({ port, address: host, transport, dgramModule }, callback, mib);
    if (!isAgent(created))
      throw new EstateError('START_FAILED', 'net-snmp createAgent() did not return an Agent');
    const agent = created;
    const authorizer = agent.getAuthorizer();
    if (!isAuthorizer(authorizer)) {
      await closeAgent(agent);
      throw new EstateError('START_FAILED', 'net-snmp agent has no usable Authorizer');
    }
    // v2c requests whose community is not in this list are dropped unanswered, as snmpd does.
    authorizer.addCommunity(community);
    const socket = sockets[0];
    if (sockets.length !== 1 || !socket) {
      await closeAgent(agent);
      throw new EstateError(
        'START_FAILED',
        'net-snmp did not create its socket through the dgramModule option; the port cannot be checked',
      );
    }
    try {
      await whenBound(socket);
    } catch (err: unknown) {
      await closeAgent(agent);
      if (errorCode(err) === 'EADDRINUSE') {
        // Lost the race for the reserved port: try another one.
        lastError = err;
        continue;
      }
      throw new EstateError('START_FAILED', `SNMP agent cannot bind ${host}:${port}`, { cause: err });
    }

    serving = true;
    let closing: Promise<void> | undefined;
    return {
      port,
      close: () => (closing ??= closeAgent(agent)),
    };
  }
  throw new EstateError('PORT_UNAVAILABLE', `no free UDP port on ${host} after ${maxAttempts} attempts`, {
    cause: lastError,
  });
}
