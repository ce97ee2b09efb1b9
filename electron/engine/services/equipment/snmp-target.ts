/**
 * The SnmpTarget of an inventory device: its address, port and credentials, the secrets resolved
 * at the moment of the poll (a rotated secret is used on the next poll; an unresolvable one is an
 * AUTH failure of that device, shown as such, never a crash of the poller).
 */
import type { DeviceDef } from '../../inventory/schema';
import type { SecretResolver } from '../../ports/secret-resolver';
import { SecretError } from '../../ports/secret-resolver';
import type { SnmpTarget } from '../../ports/snmp-client';
import { UpstreamError } from '../../ports/upstream-error';

export async function snmpTargetFor(
  device: DeviceDef,
  secrets: SecretResolver,
  timeoutMs: number,
): Promise<SnmpTarget> {
  const { snmp } = device;
  const base = { host: device.address, port: snmp.port, timeoutMs };
  const resolve = async (ref: string): Promise<string> => {
    try {
      return await secrets.resolve(ref);
    } catch (err: unknown) {
      if (err instanceof SecretError)
        throw new UpstreamError(`snmp:${device.address}:${snmp.port}`, 'AUTH', err.message, { cause: err });
      throw err;
    }
  };
  if (snmp.version === '2c') {
    const community = snmp.community ?? (await resolve(snmp.communitySecret ?? ''));
    return { ...base, version: '2c', community };
  }
  return {
    ...base,
    version: '3',
    user: snmp.user,
    level: snmp.level,
    ...(snmp.authProtocol ? { authProtocol: snmp.authProtocol } : {}),
    ...(snmp.authSecret ? { authPassphrase: await resolve(snmp.authSecret) } : {}),
    ...(snmp.privProtocol ? { privProtocol: snmp.privProtocol } : {}),
    ...(snmp.privSecret ? { privPassphrase: await resolve(snmp.privSecret) } : {}),
    ...(snmp.context ? { context: snmp.context } : {}),
  };
}
