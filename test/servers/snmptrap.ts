/**
 * net-snmp's `snmptrap` and `snmpinform` as real notification senders. Each sender has its own
 * persistent directory (net-snmp keeps engine IDs and boot counters there) and no MIBs, and is
 * run asynchronously: an inform waits for the acknowledgement of a receiver that may live in
 * this very process, whose event loop must keep turning.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Requirement } from './common';
import { makeTempDir, pathOf, removeTempDir, requireBinaries } from './common';

export const SNMPTRAP_REQUIREMENTS: readonly Requirement[] = [
  { binary: 'snmptrap', debianPackage: 'snmp' },
  { binary: 'snmpinform', debianPackage: 'snmp' },
];

/** A varbind as the tools take it: OID, type letter (i, u, c, C, g, t, a, o, s, x, n), value. */
export type CliVarbind = readonly [oid: string, type: string, value: string];

export interface TrapSender {
  /**
   * Runs `snmptrap` or `snmpinform` with `args` (everything but the varbinds), then the
   * varbinds. Resolves once the tool exits 0 (for an inform: once it was acknowledged); rejects
   * with its output otherwise.
   */
  send(
    tool: 'snmptrap' | 'snmpinform',
    args: readonly string[],
    varbinds?: readonly CliVarbind[],
  ): Promise<string>;
  /** Removes the sender's directory. */
  close(): Promise<void>;
}

export async function makeTrapSender(): Promise<TrapSender> {
  const paths = requireBinaries(SNMPTRAP_REQUIREMENTS);
  const dir = await makeTempDir('snmptrap');
  const persistent = path.join(dir, 'persist');
  const conf = path.join(dir, 'conf');
  await mkdir(persistent, { mode: 0o700 });
  await mkdir(conf, { mode: 0o700 });
  const env = {
    ...process.env,
    // Numeric OIDs only, no warnings about missing MIB files.
    MIBS: '',
    // Keep net-snmp's state out of /var/lib/snmp and ~/.snmp, and read no snmp.conf.
    SNMP_PERSISTENT_DIR: persistent,
    SNMPCONFPATH: conf,
    HOME: dir,
  };
  return {
    send: (tool, args, varbinds = []) =>
      new Promise((resolve, reject) => {
        const argv = [...args, ...varbinds.flat()];
        execFile(pathOf(paths, tool), argv, { env, timeout: 20_000 }, (err, stdout, stderr) => {
          if (err !== null)
            reject(new Error(`${tool} ${argv.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
          else resolve(stdout + stderr);
        });
      }),
    close: () => removeTempDir(dir),
  };
}
