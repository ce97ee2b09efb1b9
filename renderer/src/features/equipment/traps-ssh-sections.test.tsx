import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { EquipmentDevice, ResponseOf } from '../../../../shared/api';
import type { Locale } from '../../../../shared/i18n';
import { useLiveSync } from '../../lib/api/live-sync';
import {
  FINGERPRINT_A,
  FINGERPRINT_B,
  hostKeyState,
  sshTemplates,
  trapEvent,
  trapList,
} from '../../lib/testing/diagnostics-fixtures';
import { fixtureDevices } from '../../lib/testing/equipment-fixtures';
import { createFakeTransport, failure, ok, type FakeHandlers } from '../../lib/testing/fake-transport';
import { fixtureAppInfo, FIXTURE_NOW, fixtureSession } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { SshSection } from './ssh-section';
import { TrapsSection } from './traps-section';

afterEach(cleanup);

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

function Live({ children }: { children: React.ReactNode }) {
  useLiveSync();
  return <>{children}</>;
}

function renderTraps(handlers: FakeHandlers, locale: Locale = 'en') {
  const transport = createFakeTransport({ 'app.info': () => ok(fixtureAppInfo()), ...handlers });
  const result = renderWithProviders(
    <Live>
      <TrapsSection deviceId="a-ups-1" />
    </Live>,
    { transport, locale },
  );
  return { transport, ...result };
}

describe('TrapsSection', () => {
  it('lists traps newest first, translated, with what they are about, and marks a cleared one', async () => {
    const added = trapEvent({
      id: 't1',
      kind: 'upsAlarmAdded',
      instance: 'onBattery',
      attributes: { upsAlarm: 'onBattery', upsAlarmId: 3 },
      at: FIXTURE_NOW - 120_000,
    });
    const removed = trapEvent({
      id: 't2',
      kind: 'upsAlarmRemoved',
      severity: 'cleared',
      instance: 'onBattery',
      attributes: { upsAlarm: 'onBattery' },
      clears: [added.key],
      at: FIXTURE_NOW - 30_000,
    });
    const link = trapEvent({
      id: 't3',
      kind: 'linkDown',
      severity: 'minor',
      instance: '3',
      attributes: { ifIndex: 3, ifName: 'eth2' },
      at: FIXTURE_NOW - 60_000,
    });
    renderTraps({ 'traps.list': () => ok(trapList([added, removed, link])) });
    const items = await screen.findAllByTestId('device-trap');
    expect(items.map((item) => item.dataset['kind'])).toEqual([
      'upsAlarmRemoved',
      'linkDown',
      'upsAlarmAdded',
    ]);
    expect(text(items[1]!)).toContain('Link down');
    expect(text(items[1]!)).toContain('Minor');
    expect(text(items[1]!)).toContain('ifName: eth2');
    expect(text(items[1]!)).toContain('Instance 3');
    expect(items[2]!.dataset['cleared']).toBe('true');
    expect(text(items[2]!)).toContain('UPS alarm raised');
    expect(text(items[2]!)).toContain('upsAlarm: On battery');
    expect(text(items[2]!)).toContain('Cleared');
    expect(items[0]!.dataset['cleared']).toBe('false');
    expect(text(items[0]!)).toContain('Clearing');
    // In the operator's zone (Brussels, summer or winter): the stamp has a 2-digit hour.
    expect(items[0]!.querySelector('time')?.getAttribute('dateTime')).toBe(
      new Date(FIXTURE_NOW - 30_000).toISOString(),
    );
    expect(text(screen.getByTestId('traps-listening'))).toBe('Receiver on 0.0.0.0:1162');
  });

  it('adds a trap received for this device, and only for this device', async () => {
    const { transport } = renderTraps({ 'traps.list': () => ok(trapList()) });
    await screen.findByTestId('traps-none');
    act(() => {
      transport.emit('traps.received', trapEvent({ id: 'other', deviceId: 'b-ups-1' }));
      transport.emit('traps.received', trapEvent({ id: 'mine', kind: 'upsOnBattery', at: FIXTURE_NOW }));
    });
    const items = await screen.findAllByTestId('device-trap');
    expect(items).toHaveLength(1);
    expect(text(items[0]!)).toContain('UPS on battery');
    expect(text(items[0]!)).toContain('Major');
  });

  it('says the receiver is not listening, with the reason', async () => {
    renderTraps(
      {
        'traps.list': () =>
          ok(trapList([], { listening: null, notListening: 'bind EADDRINUSE 0.0.0.0:162' })),
      },
      'fr',
    );
    const line = await screen.findByTestId('traps-not-listening');
    expect(text(line)).toBe(' Le récepteur de traps n’écoute pas : bind EADDRINUSE 0.0.0.0:162');
    expect(screen.queryByTestId('traps-listening')).toBeNull();
  });
});

const coreSwitch: EquipmentDevice = {
  ...fixtureDevices.find((d) => d.id === 'a-core-sw')!,
  ssh: { configured: true, templates: ['uptime', 'interface-stats'] },
};

type HostKey = ResponseOf<'diagnostics.hostKey'>;

function renderSsh(options: {
  hostKey: HostKey;
  role?: 'viewer' | 'operator';
  handlers?: FakeHandlers;
  locale?: Locale;
}) {
  let hostKey = options.hostKey;
  const transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(fixtureSession([options.role ?? 'operator'])),
    'diagnostics.templates': () => ok(sshTemplates()),
    'diagnostics.hostKey': () => ok(hostKey),
    'diagnostics.probeHostKey': () => {
      hostKey = hostKeyState('unconfirmed');
      return ok(hostKey);
    },
    'diagnostics.confirmHostKey': (request) => {
      hostKey = {
        ...hostKeyState('pinned'),
        pinned: { ...hostKeyState('pinned').pinned!, fingerprint: request.fingerprint },
      };
      return ok(hostKey);
    },
    ...options.handlers,
  });
  const result = renderWithProviders(
    <Live>
      <SshSection device={coreSwitch} />
    </Live>,
    { transport, locale: options.locale ?? 'en' },
  );
  return { transport, ...result, setHostKey: (next: HostKey) => (hostKey = next) };
}

const completed: ResponseOf<'diagnostics.run'> = {
  runId: 'r1',
  deviceId: 'a-core-sw',
  templateId: 'uptime',
  commandLine: 'uptime',
  startedAt: FIXTURE_NOW,
  status: 'completed',
  exitCode: 0,
  signal: null,
  stdout: ' 12:00:00 up 3 days,  2:01,  0 users,  load average: 0.42, 0.30, 0.25\n',
  stderr: '',
  truncated: false,
  clipped: true,
  durationMs: 84.4,
  hostKeyFingerprint: FINGERPRINT_A,
  readings: [
    { kind: 'gauge', name: 'load_1m', labels: {}, value: 0.42, unit: '' },
    {
      kind: 'counter',
      name: 'rx_bytes',
      labels: { interface: 'eth0' },
      value: '18446744073709551615',
      unit: 'B',
    },
  ],
  parseError: null,
};

describe('SshSection', () => {
  it('reads an unknown host key, shows it for comparison, and confirms it', async () => {
    const user = userEvent.setup();
    const { transport } = renderSsh({ hostKey: hostKeyState('unknown') });
    const panel = await screen.findByTestId('host-key');
    expect(panel.dataset['state']).toBe('unknown');
    expect(text(screen.getByTestId('ssh-endpoint'))).toBe('SSH vigie-diag@127.0.0.1:2222');
    await user.click(within(panel).getByRole('button', { name: 'Read host key' }));
    await within(panel).findByTestId('host-key-presented');
    expect(panel.dataset['state']).toBe('unconfirmed');
    expect(text(within(panel).getByTestId('host-key-presented'))).toContain(FINGERPRINT_A);
    expect(text(within(panel).getByTestId('host-key-endpoint'))).toContain('127.0.0.1:2222');
    expect(text(within(panel).getByTestId('host-key-hint'))).toContain('ssh-keygen -lf');
    await user.click(within(panel).getByRole('button', { name: 'Confirm host key' }));
    await within(panel).findByTestId('host-key-trusted');
    expect(panel.dataset['state']).toBe('pinned');
    expect(transport.callsTo('diagnostics.confirmHostKey')).toEqual([
      { deviceId: 'a-core-sw', fingerprint: FINGERPRINT_A },
    ]);
  });

  it('shows who trusted a pinned key and when', async () => {
    renderSsh({ hostKey: hostKeyState('pinned') });
    const trusted = await screen.findByTestId('host-key-trusted');
    expect(text(trusted)).toContain('Trusted host key Confirmed by operator@seat-1 on');
    expect(text(screen.getByTestId('host-key-pinned'))).toContain(FINGERPRINT_A);
  });

  it('raises a changed key as an alarm and confirms the new one only after a warning step', async () => {
    const user = userEvent.setup();
    const { transport } = renderSsh({ hostKey: hostKeyState('changed') });
    const alarm = await screen.findByTestId('host-key-changed');
    expect(alarm.getAttribute('role')).toBe('alert');
    expect(text(within(alarm).getByTestId('host-key-pinned'))).toContain(FINGERPRINT_A);
    expect(text(within(alarm).getByTestId('host-key-presented'))).toContain(FINGERPRINT_B);
    expect(screen.queryByTestId('host-key-confirm-new')).toBeNull();
    await user.click(within(alarm).getByTestId('host-key-review'));
    const warning = within(alarm).getByTestId('host-key-warning');
    expect(text(warning)).toContain('someone may be in the middle');
    expect(warning.querySelector('p')).toBe(document.activeElement);
    await user.click(within(warning).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('host-key-warning')).toBeNull();
    await user.click(within(alarm).getByTestId('host-key-review'));
    await user.click(screen.getByTestId('host-key-confirm-new'));
    await screen.findByTestId('host-key-trusted');
    expect(transport.callsTo('diagnostics.confirmHostKey')).toEqual([
      { deviceId: 'a-core-sw', fingerprint: FINGERPRINT_B },
    ]);
  });

  it('refreshes the host key state on diagnostics.hostKeyChanged', async () => {
    const { transport, setHostKey } = renderSsh({ hostKey: hostKeyState('pinned') });
    await screen.findByTestId('host-key-trusted');
    setHostKey(hostKeyState('changed'));
    const changed = hostKeyState('changed');
    act(() => {
      transport.emit('diagnostics.hostKeyChanged', {
        deviceId: 'a-core-sw',
        endpoint: changed.endpoint,
        pinned: { keyType: 'ssh-ed25519', fingerprint: FINGERPRINT_A },
        presented: { keyType: 'ssh-ed25519', fingerprint: FINGERPRINT_B, publicKey: 'AAAA' },
        at: FIXTURE_NOW,
      });
    });
    await screen.findByTestId('host-key-changed');
  });

  it('runs a template and shows exit code, output, flags, duration and readings (counters exact)', async () => {
    const user = userEvent.setup();
    const { transport } = renderSsh({
      hostKey: hostKeyState('pinned'),
      handlers: { 'diagnostics.run': () => ok(completed) },
    });
    await screen.findByTestId('host-key-trusted');
    expect(text(screen.getByTestId('ssh-preview'))).toBe('Runs uptime');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const result = await screen.findByTestId('ssh-result');
    expect(transport.callsTo('diagnostics.run')).toEqual([
      { deviceId: 'a-core-sw', templateId: 'uptime', params: {} },
    ]);
    expect(text(within(result).getByTestId('ssh-exit-code'))).toBe('Exit code0');
    expect(text(within(result).getByTestId('ssh-duration'))).toBe('Duration84 ms');
    expect(text(within(result).getByTestId('ssh-stdout'))).toContain('load average: 0.42');
    expect(within(result).getByTestId('ssh-stdout').tabIndex).toBe(0);
    expect(within(result).getByTestId('ssh-clipped')).toBeTruthy();
    expect(within(result).queryByTestId('ssh-truncated')).toBeNull();
    const rows = within(result).getAllByTestId('ssh-reading');
    expect(text(rows[0]!)).toBe('Load average, 1 min0.42');
    expect(text(rows[1]!)).toBe('Bytes receivedinterface=eth018,446,744,073,709,551,615 B');
  });

  it('shows a parameter the engine refused at its field', async () => {
    const user = userEvent.setup();
    renderSsh({
      hostKey: hostKeyState('pinned'),
      handlers: {
        'diagnostics.run': () => {
          const refused = failure('VALIDATION', 'invalid parameters');
          return {
            ok: false,
            error: {
              ...refused.error,
              issues: [{ path: 'params.ifname', message: 'must match the pattern' }],
            },
          };
        },
      },
    });
    await screen.findByTestId('host-key-trusted');
    await user.selectOptions(screen.getByLabelText('Command'), 'interface-stats');
    const field = screen.getByLabelText('Interface');
    await user.type(field, 'eth0;reboot');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const issue = await screen.findByTestId('ssh-param-error-ifname');
    expect(text(issue)).toContain('must match the pattern');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(issue.id);
    expect(screen.queryByTestId('ssh-run-error')).toBeNull();
  });

  it('a refused run says why and turns to the host key', async () => {
    const user = userEvent.setup();
    const { setHostKey } = renderSsh({
      hostKey: hostKeyState('unknown'),
      handlers: {
        'diagnostics.run': () => {
          setHostKey(hostKeyState('unconfirmed'));
          return ok({
            runId: 'r2',
            deviceId: 'a-core-sw',
            templateId: 'uptime',
            commandLine: 'uptime',
            startedAt: FIXTURE_NOW,
            status: 'refused',
            reason: 'HOST_KEY_UNKNOWN',
            presented: { keyType: 'ssh-ed25519', fingerprint: FINGERPRINT_A, publicKey: 'AAAA' },
            pinned: null,
          });
        },
      },
    });
    await screen.findByTestId('host-key');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(text(await screen.findByTestId('ssh-refused'))).toContain('not confirmed yet');
    const panel = screen.getByTestId('host-key');
    expect(document.activeElement).toBe(panel);
    await within(panel).findByTestId('host-key-presented');
    expect(panel.dataset['state']).toBe('unconfirmed');
  });

  it('lets a viewer see the state but not act, saying why', async () => {
    renderSsh({ hostKey: hostKeyState('unconfirmed'), role: 'viewer', locale: 'nl' });
    const confirm = await screen.findByTestId('host-key-confirm');
    await screen.findByTestId('ssh-viewer-reason');
    const reason = screen.getByTestId('ssh-viewer-reason');
    expect(text(reason)).toContain(
      'Diagnoses uitvoeren en hostsleutels bevestigen vraagt de rol Operator of Van wacht',
    );
    expect(confirm).toHaveProperty('disabled', true);
    expect(confirm.getAttribute('aria-describedby')).toBe(reason.id);
    expect(screen.getByTestId('ssh-run')).toHaveProperty('disabled', true);
    expect(text(screen.getByTestId('host-key-presented'))).toContain(FINGERPRINT_A);
  });

  it('says when the device has no SSH access', async () => {
    const transport = createFakeTransport({
      'app.info': () => ok(fixtureAppInfo()),
      'diagnostics.templates': () => ok({ deviceId: 'a-core-sw', ssh: null, templates: [] }),
    });
    renderWithProviders(<SshSection device={coreSwitch} />, { transport, locale: 'fr' });
    expect(text(await screen.findByTestId('ssh-not-configured'))).toBe(
      'Aucun accès SSH n’est configuré pour cet équipement.',
    );
    expect(screen.queryByTestId('host-key')).toBeNull();
    expect(transport.callsTo('diagnostics.hostKey')).toEqual([]);
  });
});
