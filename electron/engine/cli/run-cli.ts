/**
 * The `vigie` command. User errors (bad flags, bad config, no engine running) print one message
 * that names the problem and exit non-zero; stack traces are for the log, never the terminal.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version } from '../../../package.json';
import { aggregationSchema } from '../../../shared/api';
import { columnsForStep } from '../../../shared/domain/query-sizing';
import { createFileLogger } from '../adapters/log/pino-logger';
import { formatIssues, loadConfigFile } from '../config/load-config';
import { configSchema, type VigieConfig } from '../config/schema';
import { EngineClient } from './engine-client';
import { ALARMS_HELP, AUDIT_HELP, DEVICE_HELP, INVENTORY_HELP, SECRETS_HELP, USERS_HELP } from './help-texts';
import {
  defaultDataDir,
  isAlive,
  readRuntimeInfo,
  removeRuntimeInfo,
  writeRuntimeInfo,
} from './runtime-file';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); `serve` waits on it. */
  readonly stopSignal: Promise<string>;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const HELP = `Vigie ${version}: operator console for 24x7 datacenter supervision

Usage:
  vigie serve [--estate] [--config FILE] [--host HOST] [--port N] [--open] [--data-dir DIR]
              [--tls-cert FILE --tls-key FILE]
      Run the engine headless and serve the console to browsers (wall displays, remote seats).
      With no --config, runs the built-in training estate (a simulated datacenter on loopback).
  vigie status [--json] [--data-dir DIR]
      The overview of the running engine (zones, tiles, statuses), as text or JSON.
  vigie estate scenario NAME [--data-dir DIR]
      Start a drill scenario on the running training estate (e.g. zone-a-power-failure, restore).
  vigie query --measurement M --field F [--source main] [--where KEY=VALUE | KEY!=VALUE ...]
              [--group-by TAG ...] [--agg raw|mean|min|max|sum|count|last|p95]
              [--from TIME] [--to TIME] [--step DURATION | --width PIXELS] [--json] [--data-dir DIR]
      The same frames the console's charts get. TIME: ISO 8601 (2026-11-23T08:00:00Z) or now,
      now-15m, now-6h, now-30d. --step 1m asks for one-minute buckets (rounded to a nice step);
      --width, for a chart whose plot is that many CSS pixels wide (default 1920).
  vigie config check FILE
      Validate a configuration file; problems are listed with their field and line.
${INVENTORY_HELP}${DEVICE_HELP}${ALARMS_HELP}${SECRETS_HELP}${USERS_HELP}${AUDIT_HELP}  vigie --help | --version

Environment: VIGIE_DATA_DIR (default data folder), VIGIE_LOG_LEVEL (default info),
VIGIE_VAULT_KEY or VIGIE_VAULT_KEY_FILE (the vault's key; default DATA_DIR/secrets.key).
`;

class UsageError extends Error {}

function parse(args: string[], options: ParseArgsConfig['options'], positionals: number) {
  try {
    const parsed = parseArgs({
      args,
      options: options ?? {},
      strict: true,
      allowPositionals: positionals > 0,
    });
    if (parsed.positionals.length > positionals)
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals] ?? ''}"`);
    return parsed;
  } catch (err: unknown) {
    if (err instanceof UsageError) throw err;
    const e = err as { code?: string; message?: string };
    const opt = /'(-[^']+)'/.exec(e.message ?? '')?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown option ${opt ?? ''}`.trim());
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError((e.message ?? 'invalid option value').split('.')[0] ?? 'invalid option value');
    throw new UsageError(e.message ?? 'invalid arguments');
  }
}

function rendererDir(env: NodeJS.ProcessEnv): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.VIGIE_RENDERER_DIR,
    join(here, '..', 'renderer'),
    resolve(here, '../../../out/renderer'),
    resolve('out/renderer'),
  ];
  return (
    candidates.find((c): c is string => typeof c === 'string' && existsSync(join(c, 'index.html'))) ?? null
  );
}

function openBrowser(url: string, io: CliIo): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () =>
    io.err(`Could not open a browser (${command}); open this address yourself:\n  ${url}\n`),
  );
  child.unref();
}

async function resolveConfig(
  values: { estate?: boolean; config?: string },
  io: CliIo,
): Promise<VigieConfig | null> {
  if (values.config) {
    const result = await loadConfigFile(values.config);
    if (!result.ok) {
      io.err(
        `vigie: ${values.config} is not a valid configuration:\n${formatIssues(values.config, result.issues)}\n`,
      );
      return null;
    }
    return values.estate ? { ...result.config, estate: true } : result.config;
  }
  return configSchema.parse({ estate: true });
}

async function cmdServe(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(
    args,
    {
      estate: { type: 'boolean' },
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      open: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    0,
  );
  const config = await resolveConfig(
    {
      ...(values.estate ? { estate: true } : {}),
      ...(typeof values.config === 'string' ? { config: values.config } : {}),
    },
    io,
  );
  if (!config) return EXIT.usage;
  let port = config.server.port;
  if (typeof values.port === 'string') {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535)
      throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
    port = Number(values.port);
  }
  const host = typeof values.host === 'string' ? values.host : config.server.host;
  const certFile = typeof values['tls-cert'] === 'string' ? values['tls-cert'] : config.server.tls?.certFile;
  const keyFile = typeof values['tls-key'] === 'string' ? values['tls-key'] : config.server.tls?.keyFile;
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new UsageError('TLS needs both a certificate and its key (--tls-cert FILE --tls-key FILE)');
  let tls: { cert: string; key: string } | undefined;
  if (certFile !== undefined && keyFile !== undefined) {
    try {
      tls = { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
    } catch (err: unknown) {
      io.err(
        `vigie: cannot read the TLS certificate or key: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return EXIT.failure;
    }
  } else if (!['127.0.0.1', '::1', 'localhost'].includes(host))
    io.err(
      `vigie: warning: serving on ${host} without TLS: passwords and sessions cross the network in clear (--tls-cert, --tls-key)\n`,
    );
  const dataDir = resolve(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : (config.dataDir ?? defaultDataDir(io.env)),
  );
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const running = await readRuntimeInfo(dataDir);
  if (running && running.pid !== process.pid && isAlive(running.pid)) {
    io.err(`vigie: an engine is already running for ${dataDir} (pid ${running.pid}) at ${running.url}\n`);
    return EXIT.failure;
  }
  const renderer = rendererDir(io.env);
  if (!renderer)
    io.err(
      'vigie: the console is not built (no out/renderer/index.html); run `npm run build`. Serving the API only.\n',
    );
  const logger = createFileLogger(dataDir);
  let engine;
  try {
    const { startEngine } = await import('../engine');
    const { openVault } = await import('../adapters/secrets/open-vault');
    const { headlessVaultKey } = await import('../adapters/secrets/vault-key');
    const vault = await openVault(dataDir, headlessVaultKey(dataDir, io.env), logger);
    engine = await startEngine({ config, dataDir, version, logger, vault });
  } catch (err: unknown) {
    logger.error({ err }, 'engine failed to start');
    io.err(`vigie: the engine could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
  let server;
  try {
    const { serve } = await import('../server/serve');
    server = await serve({
      engine,
      host,
      port,
      rendererDir: renderer ?? join(dataDir, 'no-renderer'),
      logger: logger.child({ module: 'server' }),
      allowedOrigins: config.server.allowedOrigins,
      ...(tls === undefined ? {} : { tls }),
    });
  } catch (err: unknown) {
    await engine.stop();
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    io.err(
      `vigie: cannot listen on ${host}:${port}${code === 'EADDRINUSE' ? ' (address in use; choose another --port)' : code ? ` (${code})` : ''}\n`,
    );
    return EXIT.failure;
  }
  await writeRuntimeInfo(dataDir, {
    pid: process.pid,
    url: server.url,
    token: server.token,
    operatorKey: server.operatorKey,
    training: engine.training,
    startedAt: Date.now(),
    ...(tls === undefined ? {} : { certificate: tls.cert }),
  });
  // The seat link carries the seat token only: people sign in on the seat with their own account.
  const seatUrl = `${server.url}/#token=${server.token}`;
  io.out(
    `Vigie ${version} is serving ${engine.training ? 'the TRAINING estate' : 'the configured estate'} at ${server.url}\n`,
  );
  io.out(`Seat link (share with the room's seats only): ${seatUrl}\n`);
  io.out(
    config.access.anonymousViewing
      ? `Seats show read-only views until someone signs in${engine.training ? ' (demo users: electron/engine/estate/README.md)' : ''}.\n`
      : `Nothing is shown until someone signs in${engine.training ? ' (demo users: electron/engine/estate/README.md)' : ''}.\n`,
  );
  io.out(`Data folder: ${dataDir}  Log: ${join(dataDir, 'logs', 'vigie.log')}\n`);
  if (values.open) openBrowser(seatUrl, io);
  const signal = await io.stopSignal;
  io.out(`\nStopping (${signal})...\n`);
  await server.close();
  await engine.stop();
  await removeRuntimeInfo(dataDir, process.pid);
  return EXIT.ok;
}

async function connectRunning(dataDirFlag: string | undefined, io: CliIo): Promise<EngineClient | null> {
  const dataDir = resolve(dataDirFlag ?? defaultDataDir(io.env));
  const info = await readRuntimeInfo(dataDir);
  if (!info || !isAlive(info.pid)) {
    io.err(
      `vigie: no engine is running for ${dataDir}; start one with \`vigie serve --estate\` (or pass --data-dir)\n`,
    );
    return null;
  }
  try {
    return await EngineClient.connect(info);
  } catch (err: unknown) {
    io.err(`vigie: ${err instanceof Error ? err.message : String(err)}\n`);
    return null;
  }
}

async function cmdStatus(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, 0);
  const client = await connectRunning(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    io,
  );
  if (!client) return EXIT.failure;
  try {
    const res = await client.invoke('overview.get', {});
    if (!res.ok) {
      io.err(`vigie: ${res.error.code}: ${res.error.message}\n`);
      return EXIT.failure;
    }
    const o = res.value;
    if (values.json) {
      io.out(`${JSON.stringify(o, null, 2)}\n`);
      return EXIT.ok;
    }
    io.out(
      `${o.training ? '[TRAINING] ' : ''}overall ${o.status}; ${Object.entries(o.counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}\n`,
    );
    for (const z of o.zones) {
      io.out(`\n${z.name} (${z.kind}): ${z.status}\n`);
      for (const t of o.tiles.filter((x) => x.zoneId === z.id)) {
        const value =
          t.primary?.value === null || t.primary === null
            ? '-'
            : `${Math.round(t.primary.value * 10) / 10} ${t.primary.unit}`;
        io.out(`  ${t.status.padEnd(11)} ${t.name.padEnd(28)} ${t.condition.padEnd(18)} ${value}\n`);
      }
    }
    return EXIT.ok;
  } finally {
    client.close();
  }
}

/** A seat on the running engine signed in as operator with the key of its runtime file. */
async function connectOperator(dataDirFlag: string | undefined, io: CliIo): Promise<EngineClient | null> {
  const client = await connectRunning(dataDirFlag, io);
  if (!client) return null;
  const info = await readRuntimeInfo(resolve(dataDirFlag ?? defaultDataDir(io.env)));
  const signIn = await client.invoke('session.signIn', { method: 'key', key: info?.operatorKey ?? '' });
  if (!signIn.ok) {
    io.err(`vigie: cannot sign in as operator: ${signIn.error.message}\n`);
    client.close();
    return null;
  }
  return client;
}

async function cmdEstate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { 'data-dir': { type: 'string' } }, 2);
  if (positionals[0] !== 'scenario' || !positionals[1])
    throw new UsageError('usage: vigie estate scenario NAME');
  const client = await connectOperator(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    io,
  );
  if (!client) return EXIT.failure;
  try {
    const res = await client.invoke('estate.runScenario', { id: positionals[1] });
    if (!res.ok) {
      io.err(`vigie: ${res.error.message}\n`);
      return EXIT.failure;
    }
    io.out(`Scenario ${positionals[1]} started.\n`);
    return EXIT.ok;
  } finally {
    client.close();
  }
}

const UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `now`, `now-15m`, or an ISO 8601 time with a zone. */
export function parseTime(text: string, now: number): number {
  const rel = /^now(?:-(\d+)([smhd]))?$/.exec(text);
  if (rel) return rel[1] && rel[2] ? now - Number(rel[1]) * (UNITS_MS[rel[2]] ?? 0) : now;
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text))
    throw new UsageError(
      `"${text}" is not a time: use ISO 8601 with a zone (2026-11-23T08:00:00Z) or now-1h`,
    );
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`"${text}" is not a valid time`);
  return t;
}

function parseDuration(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m?.[1] || !m[2]) throw new UsageError(`"${text}" is not a duration: use 10s, 5m, 1h or 1d`);
  return Number(m[1]) * (UNITS_MS[m[2]] ?? 0);
}

async function cmdQuery(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(
    args,
    {
      source: { type: 'string' },
      measurement: { type: 'string' },
      field: { type: 'string' },
      where: { type: 'string', multiple: true },
      'group-by': { type: 'string', multiple: true },
      agg: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
      width: { type: 'string' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    },
    0,
  );
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const measurement = str(values.measurement);
  const field = str(values.field);
  if (!measurement || !field) throw new UsageError('vigie query needs --measurement and --field');
  const now = Date.now();
  const from = parseTime(str(values.from) ?? 'now-1h', now);
  const to = parseTime(str(values.to) ?? 'now', now);
  if (to <= from) throw new UsageError('--to must be after --from');
  const where = list(values.where).map((w) => {
    const m = /^([^=!]+)(!=|=)(.*)$/.exec(w);
    if (!m?.[1] || !m[2]) throw new UsageError(`--where "${w}" must be KEY=VALUE or KEY!=VALUE`);
    return { key: m[1], op: m[2] as '=' | '!=', value: m[3] ?? '' };
  });
  const stepText = str(values.step);
  const widthText = str(values.width);
  let widthPx = 1920;
  if (stepText) widthPx = columnsForStep(from, to, parseDuration(stepText));
  else if (widthText) {
    if (!/^\d+$/.test(widthText)) throw new UsageError('--width must be a whole number of pixels');
    widthPx = Number(widthText);
  }
  const agg = aggregationSchema.safeParse(str(values.agg) ?? 'mean');
  if (!agg.success) throw new UsageError(`--agg must be one of ${aggregationSchema.options.join(', ')}`);
  const aggregation = agg.data;
  const client = await connectRunning(str(values['data-dir']), io);
  if (!client) return EXIT.failure;
  try {
    const res = await client.invoke('metrics.query', {
      source: str(values.source) ?? 'main',
      measurement,
      field,
      where,
      groupBy: list(values['group-by']),
      aggregation,
      from,
      to,
      widthPx,
    });
    if (!res.ok) {
      const issues = res.error.issues?.map((i) => `\n  ${i.path}: ${i.message}`).join('') ?? '';
      io.err(`vigie: ${res.error.code}: ${res.error.message}${issues}\n`);
      return res.error.code === 'VALIDATION' ? EXIT.usage : EXIT.failure;
    }
    if (values.json) {
      io.out(`${JSON.stringify(res.value)}\n`);
      return EXIT.ok;
    }
    io.out(
      `${res.value.queryText}\nstep ${res.value.stepMs / 1000} s${res.value.truncated ? '; RESULT CAPPED: data incomplete' : ''}\n`,
    );
    for (const f of res.value.frames) {
      const known = f.values.filter((v): v is number => v !== null);
      io.out(
        `${f.name}: ${f.times.length} points, ${f.times.length - known.length} gaps` +
          (known.length
            ? `, min ${Math.min(...known)}, max ${Math.max(...known)}, last ${known.at(-1)}`
            : '') +
          '\n',
      );
    }
    return EXIT.ok;
  } finally {
    client.close();
  }
}

async function cmdConfig(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, 2);
  if (positionals[0] !== 'check' || !positionals[1]) throw new UsageError('usage: vigie config check FILE');
  const file = positionals[1];
  const result = await loadConfigFile(file);
  if (!result.ok) {
    io.err(`${formatIssues(file, result.issues)}\n`);
    return EXIT.usage;
  }
  const inv = result.config.inventory;
  io.out(
    `${file}: valid (${result.config.estate ? 'training estate; ' : ''}${inv.zones.length} zones, ${inv.devices.length} devices, ${inv.services.length} services)\n`,
  );
  return EXIT.ok;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return EXIT.ok;
      case '--version':
      case '-v':
        io.out(`${version}\n`);
        return EXIT.ok;
      case 'serve':
        return await cmdServe(rest, io);
      case 'status':
        return await cmdStatus(rest, io);
      case 'estate':
        return await cmdEstate(rest, io);
      case 'query':
        return await cmdQuery(rest, io);
      case 'config':
        return await cmdConfig(rest, io);
      case 'alarms':
        return await (
          await import('./alarm-commands')
        ).cmdAlarms(rest, io, {
          usage: (message) => new UsageError(message),
          parse,
          connect: (dataDir, operator) =>
            operator ? connectOperator(dataDir, io) : connectRunning(dataDir, io),
        });
      case 'inventory':
        return await (
          await import('./inventory-commands')
        ).cmdInventory(rest, io, (message) => new UsageError(message));
      case 'secrets':
        return await (
          await import('./secrets-commands')
        ).cmdSecrets(rest, io, { usage: (message) => new UsageError(message) });
      case 'users':
        return await (
          await import('./user-commands')
        ).cmdUsers(rest, io, {
          usage: (message) => new UsageError(message),
          parse,
        });
      case 'audit':
        return await (
          await import('./audit-commands')
        ).cmdAudit(rest, io, {
          usage: (message) => new UsageError(message),
          parse,
          parseTime,
          connect: (dataDir) => connectOperator(dataDir, io),
        });
      case 'device':
        return await (
          await import('./device-commands')
        ).cmdDevice(rest, io, (message) => new UsageError(message));
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err: unknown) {
    if (err instanceof UsageError) {
      io.err(`vigie: ${err.message}. See \`vigie --help\`.\n`);
      return EXIT.usage;
    }
    io.err(`vigie: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}
