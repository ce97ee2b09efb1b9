import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EquipmentDevice, RequestIn } from '../../../../shared/api';
import type { Locale } from '../../../../shared/i18n';
import {
  equipmentHandlers,
  fixtureDevices,
  fixtureInventory,
  sensorDetail,
  switchDetail,
  upsDetail,
} from '../../lib/testing/equipment-fixtures';
import { createFakeTransport, failure, type FakeHandlers } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW } from '../../lib/testing/fixtures';
import { metricHandlers } from '../../lib/testing/metric-fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../../lib/testing/resize-observer';
import { DevicePage } from './device-page';
import { deviceStateAt } from './device-state';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../../lib/testing/fake-chart')).FakeChart,
}));

let resize: ResizeControl;
beforeEach(() => {
  resize = installResizeObserver();
});
afterEach(() => {
  cleanup();
  resize.restore();
});

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

const byId = (id: string) => fixtureDevices.find((d) => d.id === id)!;

function renderPage(
  device: EquipmentDevice,
  options: { handlers?: FakeHandlers; locale?: Locale; onBack?: () => void } = {},
) {
  const transport = createFakeTransport({ ...metricHandlers(), ...equipmentHandlers(), ...options.handlers });
  const onBack = options.onBack ?? vi.fn();
  const result = renderWithProviders(
    <DevicePage
      id={device.id}
      device={device}
      inventory={fixtureInventory()}
      zoneName={device.zone === 'zone-a' ? 'Zone A' : 'Zone B'}
      state={deviceStateAt(device, 10_000, FIXTURE_NOW)}
      onBack={onBack}
    />,
    { transport, locale: options.locale ?? 'en' },
  );
  return { transport, onBack, ...result };
}

describe('DevicePage: a switch', () => {
  it('shows its identity from the inventory and SNMPv2-MIB', async () => {
    renderPage(byId('a-core-sw'));
    const identity = screen.getByTestId('device-identity');
    await within(identity).findByText(/Datacenter core switch/);
    expect(text(identity)).toContain('Core switch A');
    expect(text(identity)).toContain('core switch');
    expect(text(identity)).toContain('Zone A · Zone A data hall · rack R01 network, U41');
    expect(text(within(identity).getByTestId('identity-address'))).toBe('SNMP address127.0.0.1:16100');
    expect(text(within(identity).getByTestId('identity-snmp'))).toBe('SNMPVersion 2c (community)');
    expect(text(within(identity).getByTestId('identity-uptime'))).toBe('Agent uptimeUp for 26.1 h');
    expect(text(identity)).toContain('System (SNMPv2-MIB), Interfaces (IF-MIB)');
    expect(text(identity)).toContain('Zone A datacenter, room 1, row C');
  });

  it('shows its poll health', async () => {
    renderPage(byId('a-core-sw'));
    const health = screen.getByTestId('device-health');
    expect(text(within(health).getByTestId('health-verdict'))).toBe('Up Answering');
    expect(text(within(health).getByTestId('health-last-success'))).toBe('Last answer14:09 (4 sec ago)');
    expect(text(within(health).getByTestId('health-latency'))).toBe('Poll duration42 ms');
    expect(text(within(health).getByTestId('health-failures'))).toBe('Failed polls in a row 0');
    expect(text(within(health).getByTestId('health-last-error'))).toBe('Last errorNone');
    expect(text(within(health).getByTestId('health-requests'))).toBe(
      'Requests of the last poll13 sent, 0 failed',
    );
    await screen.findByTestId('device-interfaces');
  });

  it('lists its interfaces as the engine serves them; a down link stands out', async () => {
    renderPage(byId('a-core-sw'));
    const section = await screen.findByTestId('device-interfaces');
    const rows = within(section).getAllByTestId('interface-row');
    expect(rows.map((r) => r.dataset['interface'])).toEqual(['Eth1/1', 'Eth1/5', 'Eth1/49']);
    const [up, down, uplink] = rows;
    expect(text(up!)).toContain('rack-01 servers');
    expect(text(within(up!).getByTestId('interface-in'))).toBe('482 Mbit/s');
    expect(text(within(up!).getByTestId('interface-out'))).toBe('701 Mbit/s');
    expect(text(up!)).toContain('25 Gbit/s');
    expect(text(uplink!)).toContain('100 Gbit/s');
    expect(text(uplink!)).toContain('4.11 Gbit/s');
    expect(down!.dataset['state']).toBe('down');
    expect(down!.className).toContain('eq-if-row--down');
    expect(text(down!)).toContain('Link down');
    expect(down!.querySelector('[data-icon="down"]')).not.toBeNull();
    expect(text(within(section).getByTestId('interfaces-down-count'))).toContain('1 link(s) down');
    expect(text(section)).toContain('3 interfaces');
  });

  it('shows a missing value with its reason, translated, and the engine’s detail on hover', async () => {
    renderPage(byId('a-core-sw'));
    const section = await screen.findByTestId('device-interfaces');
    const missing = within(section).getAllByText('not provided by the agent');
    expect(missing.length).toBeGreaterThanOrEqual(6);
    const cell = missing[0]!.closest('[data-missing]') as HTMLElement;
    expect(cell.dataset['missing']).toBe('missing');
    expect(cell.title).toBe('the agent returned no 1.3.6.1.2.1.2.2.1.14 for row 1');
  });

  it('charts traffic in and out per interface from the metric store', async () => {
    const { transport } = renderPage(byId('a-core-sw'));
    await screen.findByTestId('traffic-charts');
    await vi.waitFor(() => expect(transport.callsTo('metrics.query')).toHaveLength(2));
    const requests = transport.callsTo('metrics.query') as RequestIn<'metrics.query'>[];
    expect(requests.map((r) => r.field)).toEqual(['inBitsPerSecond', 'outBitsPerSecond']);
    for (const request of requests)
      expect(request).toMatchObject({
        source: 'main',
        measurement: 'equipment',
        where: [
          { key: 'device', op: '=', value: 'a-core-sw' },
          { key: 'profile', op: '=', value: 'if-mib' },
        ],
        groupBy: ['ifName'],
        to: FIXTURE_NOW,
        from: FIXTURE_NOW - 3_600_000,
      });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: '15 min' }));
    await vi.waitFor(() =>
      expect(
        (transport.callsTo('metrics.query') as RequestIn<'metrics.query'>[]).some(
          (r) => r.from === FIXTURE_NOW - 900_000,
        ),
      ).toBe(true),
    );
  });

  it('lists its conditions, every other reading and its recent events, newest first', async () => {
    renderPage(byId('a-core-sw'));
    const conditions = await screen.findByTestId('device-conditions');
    const [linkDown] = within(conditions).getAllByTestId('device-condition');
    expect(linkDown!.dataset['status']).toBe('down');
    expect(text(linkDown!)).toContain('DownLink down · Eth1/5');
    expect(text(linkDown!)).toContain('Engine: The interface is enabled');

    const others = screen.getByTestId('device-other-readings');
    expect(text(others)).toContain('Vendor extras');
    expect(text(others)).toContain('fanSpeed4,200 rpm');
    expect(text(others)).toContain('psuDraw12.5 dBm');
    expect(text(others)).not.toContain('inBitsPerSecond');

    const events = within(screen.getByTestId('device-events')).getAllByTestId('device-event');
    expect(events.map((e) => e.dataset['kind'])).toEqual(['counterDiscontinuity', 'reboot']);
    expect(text(events[1]!)).toContain('Restarted');
  });

  it('has sections for traps and SSH diagnostics, saying when there is nothing to show', async () => {
    renderPage(byId('a-core-sw'));
    await screen.findByTestId('device-interfaces');
    expect(text(await screen.findByTestId('traps-none'))).toBe('No trap received from this device.');
    const ssh = screen.getByTestId('device-ssh');
    expect(text(ssh)).toContain('SSH diagnostics');
    expect(text(ssh)).toContain('No SSH access is configured for this device.');
  });

  it('goes back with Escape, unless a text field has it', async () => {
    const user = userEvent.setup();
    const { onBack } = renderPage(byId('a-core-sw'));
    await screen.findByTestId('device-interfaces');
    await user.keyboard('{Escape}');
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('speaks the operator’s language', async () => {
    renderPage(byId('a-core-sw'), { locale: 'nl' });
    const section = await screen.findByTestId('device-interfaces');
    expect(text(within(section).getAllByTestId('interface-row')[1]!)).toContain('Verbinding verbroken');
    expect(within(section).getAllByText('niet geleverd door de agent').length).toBeGreaterThan(0);
    expect(text(await screen.findByTestId('traps-none'))).toBe('Geen trap ontvangen van dit apparaat.');
  });
});

describe('DevicePage: a UPS', () => {
  it('shows battery, runtime, output source and load, on mains', async () => {
    renderPage(byId('a-ups-1'));
    const ups = await screen.findByTestId('device-ups');
    expect(screen.queryByTestId('ups-on-battery')).toBeNull();
    expect(text(within(ups).getByTestId('ups-on-mains'))).toContain('On mains power.');
    expect(text(within(ups).getByTestId('ups-batteryStatus'))).toBe('Battery statusNormal');
    expect(text(within(ups).getByTestId('ups-estimatedChargeRemaining'))).toBe('Battery charge100%');
    expect(text(within(ups).getByTestId('ups-estimatedMinutesRemaining'))).toBe('Runtime left42 min');
    expect(text(within(ups).getByTestId('ups-secondsOnBattery'))).toBe('Time on batteryNo (on mains)');
    expect(text(within(ups).getByTestId('ups-outputSource'))).toBe('Output sourceNormal (mains)');
    expect(text(within(ups).getByTestId('ups-outputPercentLoad'))).toBe('Load39%');
    expect(text(within(ups).getByTestId('ups-batteryVoltage'))).toBe('Battery voltage242.9 V');
    expect(text(within(ups).getByTestId('ups-batteryCurrent'))).toBe(
      'Battery current— not supported by the agent',
    );
    expect(text(within(ups).getByTestId('ups-input'))).toContain('Line 1');
    expect(text(within(ups).getByTestId('ups-input'))).toContain('232 V');
    expect(text(within(ups).getByTestId('ups-output'))).toContain('3,523 W');
    expect(text(within(ups).getByTestId('ups-alarms'))).toContain('No active alarm.');
    expect(screen.queryByTestId('device-interfaces')).toBeNull();
    expect(text(screen.getByTestId('identity-snmp'))).toBe(
      'SNMPVersion 3, user vigie-ro, authentication and encryption',
    );
    expect(text(await screen.findByTestId('ssh-not-configured'))).toBe(
      'No SSH access is configured for this device.',
    );
  });

  it('says loudly that it is on battery, for how long and with how much runtime left', async () => {
    renderPage(byId('a-ups-1'), {
      handlers: equipmentHandlers(fixtureInventory(), { 'a-ups-1': upsDetail({ onBattery: true }) }),
    });
    const banner = await screen.findByTestId('ups-on-battery');
    expect(text(banner)).toBe(' On battery. For 2 min. Runtime left: 12 min.');
    const ups = screen.getByTestId('device-ups');
    expect(text(within(ups).getByTestId('ups-outputSource'))).toBe('Output sourceDegraded: Battery');
    expect(within(ups).getByTestId('ups-estimatedMinutesRemaining').dataset['status']).toBe('degraded');
    expect(text(within(ups).getByTestId('ups-estimatedMinutesRemaining'))).toContain(
      'below the warning threshold',
    );
    const [alarm] = within(ups).getAllByTestId('ups-alarm');
    expect(text(alarm!)).toBe('DegradedOn batteryraised 2 min ago');
  });
  it('never says "on mains" in the first second on battery, when the UPS still counts zero seconds', async () => {
    const detail = upsDetail({ onBattery: true });
    const ups = detail.profiles.find((p) => p.profile === 'ups-mib')!;
    const seconds = ups.readings.find((r) => r.metric === 'secondsOnBattery')!;
    (seconds as { value: number | null }).value = 0;
    renderPage(byId('a-ups-1'), {
      handlers: equipmentHandlers(fixtureInventory(), { 'a-ups-1': detail }),
    });
    await screen.findByTestId('ups-on-battery');
    const fact = within(screen.getByTestId('device-ups')).getByTestId('ups-secondsOnBattery');
    expect(text(fact)).not.toContain('No (on mains)');
  });
  it('never says "no alarm" when the UPS counts alarms its table does not list', async () => {
    const detail = upsDetail({ onBattery: true });
    const [system, ups] = detail.profiles;
    const unlisted = {
      ...detail,
      profiles: [
        system!,
        {
          ...ups!,
          readings: ups!.readings
            .filter((r) => r.table !== 'alarms' || r.instance === null)
            .map((r) => (r.metric === 'alarmsPresent' ? { ...r, value: 2 } : r)),
        },
      ],
    };
    renderPage(byId('a-ups-1'), {
      handlers: equipmentHandlers(fixtureInventory(), { 'a-ups-1': unlisted }),
    });
    const alarms = await screen.findByTestId('ups-alarms');
    expect(text(alarms)).not.toContain('No active alarm');
    expect(text(within(alarms).getByTestId('ups-alarms-unlisted'))).toBe(
      ' The UPS counts 2 active alarm(s) but does not list them.',
    );
  });
});

describe('DevicePage: a device without current data', () => {
  it('says it never answered, shows its sensors as last known and its events', async () => {
    renderPage(byId('b-env-1'), {
      handlers: equipmentHandlers(fixtureInventory(), { 'b-env-1': sensorDetail() }),
    });
    const page = screen.getByTestId('device-page');
    expect(page.dataset['stale']).toBe('true');
    expect(page.dataset['status']).toBe('unknown');
    expect(text(screen.getByTestId('device-stale'))).toContain('No data received yet');
    expect(text(within(screen.getByTestId('device-health')).getByTestId('health-verdict'))).toBe(
      'No data Never answered',
    );
    expect(text(screen.getByTestId('health-last-error'))).toContain('Connection refused (REFUSED)');
    const sensors = await screen.findByTestId('device-sensors');
    const rows = within(sensors).getAllByTestId('sensor-row');
    expect(rows.map((r) => r.dataset['sensor'])).toEqual(['temperature', 'humidity']);
    expect(text(rows[0]!)).toContain('Temperature probe, cold aisle');
    expect(text(rows[0]!)).toContain('27.4 °C');
    expect(text(rows[0]!)).toContain('above the warning threshold');
    expect(text(rows[1]!)).toContain('Relative humidity');
    expect(text(rows[1]!)).toContain('43.9%');
    expect(text(screen.getByTestId('device-events'))).toContain('Stopped answering');
  });

  it('says since when a device stopped answering, and that the values are the last known', async () => {
    renderPage(byId('b-core-sw'), {
      handlers: equipmentHandlers(fixtureInventory(), { 'b-core-sw': switchDetail(byId('b-core-sw')) }),
    });
    expect(text(screen.getByTestId('device-stale'))).toBe(
      ' No data since 14:02 (8 min ago) The values below are the last received, not current ones.',
    );
    expect(screen.getByTestId('device-page').dataset['status']).toBe('unknown');
    expect(text(screen.getByTestId('health-failures'))).toContain('48');
    await screen.findByTestId('device-interfaces');
  });

  it('shows the engine’s refusal when the device cannot be read', async () => {
    renderPage(byId('a-pdu-1'), {
      handlers: { 'equipment.device': () => failure('NOT_FOUND', 'no device "a-pdu-1"') },
    });
    const notice = await screen.findByTestId('device-error');
    expect(text(notice)).toContain('The device’s readings could not be loaded. Not found.');
    // What the inventory says is still there.
    expect(text(screen.getByTestId('device-identity'))).toContain('Rack PDU A1');
  });
});
