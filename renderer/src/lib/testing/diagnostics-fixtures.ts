/** Traps and SSH diagnostics as the fake engine serves them to renderer tests. */
import type { ResponseOf } from '../../../../shared/api';
import type { TrapEvent } from '../../../../shared/domain/trap-event';
import { ok, type FakeHandlers } from './fake-transport';
import { FIXTURE_NOW } from './fixtures';

export const FINGERPRINT_A = 'SHA256:' + 'A'.repeat(43);
export const FINGERPRINT_B = 'SHA256:' + 'B'.repeat(43);

export function trapEvent(overrides: Partial<TrapEvent> = {}): TrapEvent {
  const deviceId = overrides.deviceId === undefined ? 'a-ups-1' : overrides.deviceId;
  const kind = overrides.kind ?? 'upsOnBattery';
  const instance = overrides.instance ?? '';
  return {
    id: `trap-${kind}-${overrides.at ?? FIXTURE_NOW}`,
    at: FIXTURE_NOW - 60_000,
    deviceId,
    source: { address: '127.0.0.1', port: 40000 },
    agentAddress: null,
    version: '2c',
    pdu: 'trap',
    user: null,
    engineId: null,
    trapOid: '1.3.6.1.2.1.33.2.0.1',
    name: `UPS-MIB::${kind}`,
    kind,
    severity: 'major',
    instance,
    key: [`device:${deviceId ?? ''}`, kind, instance].map(encodeURIComponent).join('/'),
    clears: [],
    attributes: {},
    upTime: 1000,
    varbinds: [],
    ...overrides,
  };
}

export function trapList(
  events: TrapEvent[] = [],
  overrides: Partial<ResponseOf<'traps.list'>> = {},
): ResponseOf<'traps.list'> {
  return { events, listening: { address: '0.0.0.0', port: 1162 }, notListening: null, ...overrides };
}

export function sshTemplates(deviceId = 'a-core-sw'): ResponseOf<'diagnostics.templates'> {
  return {
    deviceId,
    ssh: { endpoint: '127.0.0.1:2222', user: 'vigie-diag' },
    templates: [
      {
        id: 'uptime',
        titleKey: 'diagnostics.template.uptime',
        params: [],
        preview: 'uptime',
        parser: 'uptime',
      },
      {
        id: 'interface-stats',
        titleKey: 'diagnostics.template.interfaceStats',
        params: [
          {
            name: 'ifname',
            titleKey: 'diagnostics.param.interface',
            type: { kind: 'pattern', pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}$', maxLength: 15 },
          },
        ],
        preview: 'ip -s link show dev <ifname>',
        parser: null,
      },
    ],
  };
}

export function hostKeyState(
  state: ResponseOf<'diagnostics.hostKey'>['state'],
  deviceId = 'a-core-sw',
): ResponseOf<'diagnostics.hostKey'> {
  const endpoint = '127.0.0.1:2222';
  const pinned = {
    keyType: 'ssh-ed25519',
    fingerprint: FINGERPRINT_A,
    endpoint,
    pinnedAt: FIXTURE_NOW - 3_600_000,
    pinnedBy: 'operator@seat-1',
  };
  const presented = (fingerprint: string) => ({
    keyType: 'ssh-ed25519',
    fingerprint,
    publicKey: 'AAAA',
    endpoint,
    at: FIXTURE_NOW - 1_000,
  });
  switch (state) {
    case 'unknown':
      return { deviceId, state, endpoint, pinned: null, presented: null };
    case 'unconfirmed':
      return { deviceId, state, endpoint, pinned: null, presented: presented(FINGERPRINT_A) };
    case 'pinned':
      return { deviceId, state, endpoint, pinned, presented: null };
    case 'changed':
      return { deviceId, state, endpoint, pinned, presented: presented(FINGERPRINT_B) };
  }
}

/** No trap, no SSH: what a device page asks beside the equipment channels. */
export function quietDiagnosticsHandlers(): FakeHandlers {
  return {
    'traps.list': () => ok(trapList()),
    'diagnostics.templates': (request) => ok({ deviceId: request.deviceId, ssh: null, templates: [] }),
  };
}
