/**
 * net-snmp's snmpd on a random loopback UDP port, with its own config (the listening address is
 * given in the file only: also on the command line it binds twice and exits), its own persistent
 * dir and no MIB loading. Readiness: an SNMPv2c GET of sysDescr.0 answers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Requirement, ServerBase } from './common';
import {
  LOOPBACK,
  freeUdpPort,
  makeTempDir,
  pathOf,
  readyOrCleanUp,
  requireBinaries,
  snmpAnswers,
  spawnServer,
  stopper,
  withStartRetries,
} from './common';

export const SNMPD_REQUIREMENTS: readonly Requirement[] = [{ binary: 'snmpd', debianPackage: 'snmpd' }];

/** An SNMPv3 user with authentication and privacy (authPriv), created at start. */
export interface SnmpdV3User {
  readonly name: string;
  readonly authProtocol: 'MD5' | 'SHA' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** At least 8 characters (RFC 3414 section 11.2). */
  readonly authPassphrase: string;
  readonly privProtocol: 'DES' | 'AES';
  readonly privPassphrase: string;
}

export interface SnmpdOptions {
  /** Read-only v2c community, allowed from 127.0.0.1; default 'public'. */
  readonly community?: string;
  readonly v3Users?: readonly SnmpdV3User[];
  /** More snmpd.conf lines (sysLocation, extend, ...). */
  readonly extraConfig?: readonly string[];
  /** Readiness deadline; default 15 s. */
  readonly readyDeadlineMs?: number;
}

export interface SnmpdHandle extends ServerBase {
  readonly host: string;
  readonly port: number;
  readonly community: string;
  readonly v3Users: readonly SnmpdV3User[];
}

const SAFE_TOKEN = /^[A-Za-z0-9._@%+=:-]+$/;

export async function startSnmpd(options: SnmpdOptions = {}): Promise<SnmpdHandle> {
  const snmpd = pathOf(requireBinaries(SNMPD_REQUIREMENTS), 'snmpd');
  const community = options.community ?? 'public';
  const v3Users = options.v3Users ?? [];
  checkToken('community', community);
  for (const user of v3Users) {
    checkToken('v3 user name', user.name);
    checkToken('v3 auth passphrase', user.authPassphrase, 8);
    checkToken('v3 priv passphrase', user.privPassphrase, 8);
  }
  return withStartRetries('snmpd', async () => {
    const dir = await makeTempDir('snmpd');
    const port = await freeUdpPort();
    const confDir = path.join(dir, 'conf');
    const persistentDir = path.join(dir, 'persist');
    await mkdir(confDir, { mode: 0o700 });
    await mkdir(persistentDir, { mode: 0o700 });
    const configPath = path.join(dir, 'snmpd.conf');
    const lines = [
      `agentAddress udp:${LOOPBACK}:${port}`,
      `rocommunity ${community} ${LOOPBACK}`,
      // createUser belongs here, not in the persistent dir's snmpd.conf: with -C snmpd reads no
      // other config file, and it moves the user into the persistent store by itself.
      ...v3Users.flatMap((u) => [
        `createUser ${u.name} ${u.authProtocol} "${u.authPassphrase}" ${u.privProtocol} "${u.privPassphrase}"`,
        `rouser ${u.name} priv`,
      ]),
      ...(options.extraConfig ?? []),
    ];
    await writeFile(configPath, `${lines.join('\n')}\n`, { mode: 0o600 });
    const proc = spawnServer(
      'snmpd',
      snmpd,
      ['-f', '-C', '-c', configPath, '-Lo', '-p', path.join(dir, 'snmpd.pid')],
      {
        cwd: dir,
        env: {
          ...process.env,
          // No MIB files: numeric OIDs only, and no warnings about missing MIBs.
          MIBS: '',
          // Keep snmpd's state (engine boots, USM users) out of /var/lib/snmp and /etc/snmp.
          SNMP_PERSISTENT_DIR: persistentDir,
          SNMPCONFPATH: confDir,
        },
      },
    );
    await readyOrCleanUp(proc, dir, () => snmpAnswers(LOOPBACK, port, community), {
      what: `snmpd on udp:${LOOPBACK}:${port}`,
      deadlineMs: options.readyDeadlineMs ?? 15_000,
    });
    return { host: LOOPBACK, port, community, v3Users, dir, process: proc, stop: stopper(proc, dir) };
  });
}

function checkToken(what: string, value: string, minLength = 1): void {
  if (value.length < minLength || !SAFE_TOKEN.test(value)) {
    throw new RangeError(`${what} must be at least ${minLength} characters from [A-Za-z0-9._@%+=:-]`);
  }
}
