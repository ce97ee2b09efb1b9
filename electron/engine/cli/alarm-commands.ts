/**
 * `vigie alarms list|show|ack`: a command-line seat on the running engine (over its WebSocket,
 * like a browser seat), for scripts and for an operator on a terminal. Acknowledging signs in as
 * operator with the key of the engine's runtime file and is audited like any other seat's action.
 */
import type { ParseArgsConfig } from 'node:util';
import { ALARM_STATES, type Alarm, type AlarmState } from '../../../shared/domain/alarm';
import type { EngineClient } from './engine-client';

export interface AlarmCliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface AlarmCliDeps {
  readonly usage: (message: string) => Error;
  readonly parse: (
    args: string[],
    options: ParseArgsConfig['options'],
    positionals: number,
  ) => { values: Record<string, unknown>; positionals: string[] };
  readonly connect: (dataDir: string | undefined, operator: boolean) => Promise<EngineClient | null>;
}

const OK = 0;
const FAILED = 1;
const INVALID = 2;

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

function line(a: Alarm, now: number): string {
  const parent = a.parentId === null ? '' : ` (in ${a.parentId.slice(0, 8)})`;
  return [
    a.id.slice(0, 8),
    a.severity.toUpperCase().padEnd(8),
    a.state.padEnd(12),
    age(now - a.lastRaisedAt).padStart(4),
    `${a.subject.name}${a.subject.zoneId ? ` [${a.subject.zoneId}]` : ''}: ${a.cause.code}${parent}`,
  ].join('  ');
}

/** The one open alarm whose id is `ref` or starts with it (at least 8 characters). */
async function resolveId(client: EngineClient, ref: string, usage: (m: string) => Error): Promise<string> {
  const res = await client.invoke('alarms.list', { limit: 50_000 });
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  if (res.value.alarms.some((a) => a.id === ref)) return ref;
  if (ref.length < 8) throw usage(`"${ref}" is too short: give the alarm id or its first 8 characters`);
  const found = res.value.alarms.filter((a) => a.id.startsWith(ref));
  if (found.length === 1) return found[0]!.id;
  if (found.length > 1) throw usage(`"${ref}" matches ${found.length} alarms: give more of the id`);
  return ref; // not open: the engine answers (closed, or no such alarm)
}

export async function cmdAlarms(args: string[], io: AlarmCliIo, deps: AlarmCliDeps): Promise<number> {
  const [sub, ...rest] = args;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  switch (sub) {
    case 'list': {
      const { values } = deps.parse(
        rest,
        {
          state: { type: 'string', multiple: true },
          json: { type: 'boolean' },
          'data-dir': { type: 'string' },
        },
        0,
      );
      const states = (Array.isArray(values.state) ? values.state : []) as string[];
      for (const s of states)
        if (!(ALARM_STATES as readonly string[]).includes(s))
          throw deps.usage(`--state "${s}" is not one of ${ALARM_STATES.join(', ')}`);
      const client = await deps.connect(str(values['data-dir']), false);
      if (!client) return FAILED;
      try {
        const res = await client.invoke('alarms.list', {
          ...(states.length > 0 ? { states: states as AlarmState[] } : {}),
          limit: 50_000,
        });
        if (!res.ok) {
          io.err(`vigie: ${res.error.code}: ${res.error.message}\n`);
          return FAILED;
        }
        if (values.json) {
          io.out(`${JSON.stringify(res.value)}\n`);
          return OK;
        }
        const now = Date.now();
        const c = res.value.counts.outstanding;
        io.out(
          `${res.value.alarms.length} open alarms; outstanding: ${c.critical} critical, ${c.major} major, ${c.minor} minor, ${c.warning} warning, ${c.info} info\n`,
        );
        for (const a of res.value.alarms) io.out(`${line(a, now)}\n`);
        return OK;
      } finally {
        client.close();
      }
    }
    case 'show': {
      const { values, positionals } = deps.parse(
        rest,
        { json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
        1,
      );
      if (!positionals[0]) throw deps.usage('usage: vigie alarms show ID');
      const client = await deps.connect(str(values['data-dir']), false);
      if (!client) return FAILED;
      try {
        const id = await resolveId(client, positionals[0], deps.usage);
        const res = await client.invoke('alarms.get', { id });
        if (!res.ok) {
          io.err(`vigie: ${res.error.code}: ${res.error.message}\n`);
          return res.error.code === 'NOT_FOUND' ? INVALID : FAILED;
        }
        if (values.json) {
          io.out(`${JSON.stringify(res.value)}\n`);
          return OK;
        }
        const { alarm, history, children } = res.value;
        io.out(`${line(alarm, Date.now())}\nid ${alarm.id}\nkey ${alarm.key}\n`);
        if (alarm.ack) io.out(`acknowledged by ${alarm.ack.by} (${alarm.ack.mode}): ${alarm.ack.comment}\n`);
        for (const h of history)
          io.out(
            `  ${new Date(h.at).toISOString()}  ${h.action.padEnd(16)} ${h.actor}${h.comment ? `: ${h.comment}` : ''}\n`,
          );
        if (children.length > 0) io.out(`${children.length} grouped alarms:\n`);
        for (const child of children) io.out(`  ${line(child, Date.now())}\n`);
        return OK;
      } finally {
        client.close();
      }
    }
    case 'ack': {
      const { values, positionals } = deps.parse(
        rest,
        { comment: { type: 'string' }, sticky: { type: 'boolean' }, 'data-dir': { type: 'string' } },
        1,
      );
      const comment = str(values.comment)?.trim();
      if (!positionals[0] || !comment)
        throw deps.usage('usage: vigie alarms ack ID --comment TEXT [--sticky]');
      const client = await deps.connect(str(values['data-dir']), true);
      if (!client) return FAILED;
      try {
        const id = await resolveId(client, positionals[0], deps.usage);
        const res = await client.invoke('alarms.acknowledge', {
          id,
          comment,
          mode: values.sticky ? 'sticky' : 'normal',
        });
        if (!res.ok) {
          io.err(`vigie: ${res.error.code}: ${res.error.message}\n`);
          return res.error.code === 'NOT_FOUND' || res.error.code === 'VALIDATION' ? INVALID : FAILED;
        }
        io.out(`Acknowledged ${res.value.id} (${res.value.subject.name}: ${res.value.cause.code}).\n`);
        return OK;
      } finally {
        client.close();
      }
    }
    case undefined:
      throw deps.usage('usage: vigie alarms list|show|ack');
    default:
      throw deps.usage(`unknown alarms command "${sub}"`);
  }
}
