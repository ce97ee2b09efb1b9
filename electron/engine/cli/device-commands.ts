/**
 * `vigie device poll ID` and `vigie device walk ID PROFILE`: one device read now, from this
 * process, with the same profiles, secrets and SNMP client as the engine; for checking a device
 * or a profile before (or without) running the console. With `--estate` the training estate is
 * started in-process for the time of the command.
 */
import { parseArgs } from 'node:util';
import { NetSnmpClient } from '../adapters/snmp/net-snmp-client';
import { EnvFileSecretResolver } from '../adapters/secrets/env-file-secret-resolver';
import { formatIssues, loadConfigFile } from '../config/load-config';
import { configSchema, type VigieConfig } from '../config/schema';
import { startEstate, type Estate } from '../estate';
import type { DeviceDef } from '../inventory/schema';
import { systemClock } from '../ports/clock';
import { EquipmentService, type DevicePoll } from '../services/equipment/equipment-service';
import { loadKnownProfiles } from '../services/equipment/known-profiles';
import type { ProfileResult } from '../services/equipment/profiles/evaluate-profile';
import { walkProfiles } from '../services/equipment/profiles/walk-profiles';
import { snmpTargetFor } from '../services/equipment/snmp-target';

export interface DeviceIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const OK = 0;
const FAILED = 1;
const INVALID = 2;

interface Setup {
  readonly config: VigieConfig;
  readonly devices: readonly DeviceDef[];
  readonly estate: Estate | null;
}

async function setup(
  values: { config?: string | undefined; estate?: boolean | undefined },
  io: DeviceIo,
  usage: (m: string) => Error,
): Promise<Setup | number> {
  if (values.estate && values.config) throw usage('give --config FILE or --estate, not both');
  if (values.estate) {
    const estate = await startEstate({ clock: systemClock });
    return { config: configSchema.parse({ estate: true }), devices: estate.inventory.devices, estate };
  }
  if (!values.config) throw usage('give --config FILE (the devices of its inventory) or --estate');
  const loaded = await loadConfigFile(values.config);
  if (!loaded.ok) {
    io.err(`${formatIssues(values.config, loaded.issues)}\n`);
    return INVALID;
  }
  return { config: loaded.config, devices: loaded.config.inventory.devices, estate: null };
}

function valueText(r: ProfileResult['readings'][number]): string {
  if (r.value === null) return `— (${r.reason?.code ?? 'missing'}: ${r.reason?.detail ?? ''})`;
  const shown = typeof r.value === 'number' ? String(Math.round(r.value * 1000) / 1000) : r.value;
  return `${r.label ?? shown}${r.label && r.label !== shown ? ` (${shown})` : ''}${r.unit ? ` ${r.unit}` : ''}`;
}

function resultsText(results: readonly ProfileResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.profile}: ${result.status}`);
    for (const r of result.readings) {
      const where = r.instance === null ? '' : ` [${Object.values(r.labels)[0] ?? r.instance}]`;
      lines.push(`  ${r.metric}${where} = ${valueText(r)}${r.status !== 'up' ? `  <${r.status}>` : ''}`);
    }
    for (const t of result.tables) lines.push(`  table ${t.name}: ${t.rows ?? '?'} rows`);
  }
  return `${lines.join('\n')}\n`;
}

function pollText(device: DeviceDef, poll: DevicePoll): string {
  const h = poll.health;
  const head = poll.ok
    ? `${device.id} (${device.address}): answered in ${h.latencyMs ?? '?'} ms, ${h.requests.sent} requests\n`
    : `${device.id} (${device.address}): NOT ANSWERING: ${h.lastError?.code ?? ''} ${h.lastError?.message ?? ''}\n`;
  return head + (poll.ok ? resultsText(poll.results) : '');
}

export async function cmdDevice(
  args: string[],
  io: DeviceIo,
  usage: (message: string) => Error,
): Promise<number> {
  try {
    return await device(args, io, usage);
  } catch (err: unknown) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw usage((err as Error).message);
    if (err instanceof RangeError) {
      io.err(`vigie: ${err.message}\n`);
      return INVALID;
    }
    throw err;
  }
}

async function device(args: string[], io: DeviceIo, usage: (message: string) => Error): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'poll' && sub !== 'walk')
    throw usage('usage: vigie device poll ID ... | vigie device walk ID PROFILE ...');
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      estate: { type: 'boolean' },
      json: { type: 'boolean' },
      interval: { type: 'string' },
      'max-repetitions': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const wanted = sub === 'poll' ? 1 : 2;
  if (positionals.length !== wanted)
    throw usage(
      sub === 'poll'
        ? 'usage: vigie device poll ID (--config FILE | --estate)'
        : 'usage: vigie device walk ID PROFILE (--config FILE | --estate)',
    );
  const interval = values.interval === undefined ? 0 : Number(values.interval);
  if (!Number.isFinite(interval) || interval < 0 || interval > 600)
    throw usage('--interval must be seconds from 0 to 600');
  const maxRepetitions = values['max-repetitions'] === undefined ? 25 : Number(values['max-repetitions']);
  if (!Number.isInteger(maxRepetitions) || maxRepetitions < 1 || maxRepetitions > 1000)
    throw usage('--max-repetitions must be a whole number from 1 to 1000');

  const ready = await setup(values, io, usage);
  if (typeof ready === 'number') return ready;
  const snmp = new NetSnmpClient({ maxSockets: ready.config.equipment.maxSockets });
  const abort = new AbortController();
  try {
    const id = positionals[0] ?? '';
    const def = ready.devices.find((d) => d.id === id);
    if (!def) {
      io.err(
        `vigie: no device "${id}" (known: ${ready.devices
          .map((d) => d.id)
          .slice(0, 30)
          .join(', ')})\n`,
      );
      return INVALID;
    }
    const profiles = await loadKnownProfiles(ready.config.equipment.profiles);
    const secrets = new EnvFileSecretResolver();
    const timeoutMs = ready.config.polling.timeoutMs;
    if (sub === 'poll') {
      const equipment = new EquipmentService({ snmp, secrets, clock: systemClock, profiles, timeoutMs });
      let poll = await equipment.poll(def, [], abort.signal);
      if (interval > 0 && poll.ok) {
        await new Promise((r) => setTimeout(r, interval * 1000));
        poll = await equipment.poll(def, [], abort.signal);
      }
      io.out(
        values.json
          ? `${JSON.stringify({ device: def.id, ok: poll.ok, health: poll.health, profiles: poll.results }, null, 2)}\n`
          : pollText(def, poll),
      );
      return poll.ok ? OK : FAILED;
    }
    const profileId = positionals[1] ?? '';
    const profile = profiles.get(profileId);
    if (!profile) {
      io.err(`vigie: unknown MIB profile "${profileId}" (known: ${[...profiles.keys()].join(', ')})\n`);
      return INVALID;
    }
    const target = await snmpTargetFor(def, secrets, timeoutMs);
    const started = performance.now();
    const outcome = await walkProfiles(snmp, target, [profile], undefined, {
      signal: abort.signal,
      clock: systemClock,
      maxRepetitions,
    });
    const ms = Math.round(performance.now() - started);
    if (values.json)
      io.out(
        `${JSON.stringify(
          {
            device: def.id,
            profile: profile.id,
            ms,
            requests: outcome.requests,
            varbinds: outcome.snapshot.varbinds.length,
            stoppedBy: outcome.stoppedBy,
            result: outcome.results[0] ?? null,
          },
          (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
          2,
        )}\n`,
      );
    else
      io.out(
        `${def.id} ${profile.id}: ${outcome.snapshot.varbinds.length} varbinds in ${outcome.requests.sent} requests, ${ms} ms` +
          `${outcome.stoppedBy ? `; stopped by ${outcome.stoppedBy.code}: ${outcome.stoppedBy.message}` : ''}\n${resultsText(outcome.results)}`,
      );
    return outcome.stoppedBy ? FAILED : OK;
  } finally {
    abort.abort();
    await snmp.close();
    await ready.estate?.stop();
  }
}
