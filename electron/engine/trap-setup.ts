/**
 * Wires the SNMP trap receiver for the engine: where it listens, which communities and v3 users
 * it accepts (secrets resolved), how a notification finds its device, and where events are kept.
 * A receiver that cannot bind (port in use, 162 without privileges) does not stop the engine: it
 * is logged and shown as not listening.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { DuckDbTrapEventStore } from './adapters/duckdb/duckdb-trap-event-store';
import { NetSnmpTrapReceiver } from './adapters/snmp/net-snmp-trap-receiver';
import type { VigieConfig } from './config/schema';
import type { Estate } from './estate';
import type { Inventory } from './inventory/schema';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { SecretResolver } from './ports/secret-resolver';
import type { TrapUser } from './ports/trap-receiver';
import { TrapService, type DeviceLookup } from './services/traps/trap-service';

export interface TrapSetup {
  readonly service: TrapService;
  /** Why the receiver is not listening, when it is not. */
  readonly notListening: string | null;
  close(): Promise<void>;
}

const ESTATE_COMMUNITY = 'training';

async function freeUdpPort(host: string): Promise<number> {
  const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** The receiver's SNMPv3 engine ID: configured, else made once and kept in the data folder. */
async function engineIdFor(config: VigieConfig, dataRoot: string): Promise<string> {
  if (config.traps.engineId) return config.traps.engineId;
  const file = join(dataRoot, 'trap-engine-id');
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{10,64}$/.test(kept)) return kept;
  } catch {
    // None yet: made below.
  }
  // RFC 3411 SnmpEngineID: enterprise form (first bit set, IANA private enterprise 8072
  // net-snmp), format 4 (octets), then random octets of our own.
  const id = `80001f8804${randomBytes(8).toString('hex')}`;
  await writeFile(file, `${id}\n`, { mode: 0o600 });
  return id;
}

/** Device lookup by source address (resolved once), the v2c community telling apart devices behind one address. */
async function addressLookup(
  inventory: Inventory,
  secrets: SecretResolver,
  logger: Logger,
): Promise<DeviceLookup> {
  const byAddress = new Map<string, { id: string; community: string | null; user: string | null }[]>();
  for (const d of inventory.devices) {
    let address = d.address;
    if (isIP(address) === 0) {
      try {
        address = (await lookup(d.address)).address;
      } catch {
        logger.warn(
          { device: d.id, address: d.address },
          'device address does not resolve: its traps will show as unknown',
        );
        continue;
      }
    }
    let community: string | null = null;
    if (d.snmp.version === '2c')
      community = d.snmp.community ?? (await secrets.resolve(d.snmp.communitySecret ?? '').catch(() => null));
    const list = byAddress.get(address) ?? [];
    list.push({ id: d.id, community, user: d.snmp.version === '3' ? d.snmp.user : null });
    byAddress.set(address, list);
  }
  return (origin) => {
    const candidates =
      byAddress.get(origin.agentAddress ?? origin.address) ?? byAddress.get(origin.address) ?? [];
    if (candidates.length <= 1) return candidates[0]?.id ?? null;
    const match = candidates.find((c) =>
      origin.version === '3' ? c.user === origin.user : c.community === origin.community,
    );
    return match?.id ?? null;
  };
}

export async function setUpTraps(options: {
  readonly config: VigieConfig;
  readonly inventory: Inventory;
  readonly estate: Estate | null;
  readonly dataRoot: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly secrets: SecretResolver;
}): Promise<TrapSetup | null> {
  const { config, inventory, estate, dataRoot, clock, logger, secrets } = options;
  if (!config.traps.enabled) return null;
  const store = await DuckDbTrapEventStore.open(join(dataRoot, 'trap-events.duckdb'));
  let lookupDevice: DeviceLookup;
  let address: string;
  let port: number;
  let communities: string[];
  let users: TrapUser[] = [];
  let estateSources: ReadonlyMap<string, string> | null = null;
  try {
    if (estate) {
      address = '127.0.0.1';
      port = await freeUdpPort(address);
      communities = [ESTATE_COMMUNITY];
      lookupDevice = (origin) => estateSources?.get(`${origin.address}:${origin.port}`) ?? null;
    } else {
      address = config.traps.address;
      port = config.traps.port;
      communities = [];
      for (const ref of config.traps.communitySecrets) communities.push(await secrets.resolve(ref));
      for (const d of inventory.devices)
        if (d.snmp.version === '2c') {
          const c =
            d.snmp.community ?? (await secrets.resolve(d.snmp.communitySecret ?? '').catch(() => null));
          if (c !== null && !communities.includes(c)) communities.push(c);
        }
      users = [];
      for (const u of config.traps.users)
        users.push(
          u.level === 'authPriv'
            ? {
                name: u.name,
                level: 'authPriv',
                authProtocol: u.authProtocol,
                authPassphrase: await secrets.resolve(u.authSecret),
                privProtocol: u.privProtocol ?? 'aes',
                privPassphrase: await secrets.resolve(u.privSecret ?? ''),
              }
            : {
                name: u.name,
                level: 'authNoPriv',
                authProtocol: u.authProtocol,
                authPassphrase: await secrets.resolve(u.authSecret),
              },
        );
      lookupDevice = await addressLookup(inventory, secrets, logger);
    }
  } catch (err: unknown) {
    await store.close();
    throw err;
  }
  const service = new TrapService({
    receiver: new NetSnmpTrapReceiver(),
    store,
    clock,
    logger,
    lookupDevice,
    rateLimit: {
      perSecond: config.traps.rateLimit.perSecond,
      burst: config.traps.rateLimit.burst,
      globalPerSecond: config.traps.rateLimit.globalPerSecond,
      globalBurst: config.traps.rateLimit.globalBurst,
      stormQuietMs: config.traps.rateLimit.stormQuietSeconds * 1000,
    },
  });
  let notListening: string | null = null;
  try {
    await service.start(
      { address, port, communities, users, engineId: await engineIdFor(config, dataRoot) },
      new AbortController().signal,
    );
    if (estate)
      estateSources = await estate.sendTrapsTo({ host: address, port, community: ESTATE_COMMUNITY });
  } catch (err: unknown) {
    notListening = err instanceof Error ? err.message : String(err);
    logger.error({ err, address, port }, 'the SNMP trap receiver is not listening');
  }
  return {
    service,
    notListening,
    async close() {
      await service.stop();
      await store.close();
    },
  };
}
