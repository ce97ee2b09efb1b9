import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestIn } from '../../../../shared/api';
import { useLiveSync } from '../../lib/api/live-sync';
import {
  createDashboardStore,
  fixtureDashboard,
  type FakeDashboardStore,
} from '../../lib/testing/dashboard-fixtures';
import { fakeCharts } from '../../lib/testing/fake-chart';
import { createFakeTransport, ok, type FakeTransport } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureSession } from '../../lib/testing/fixtures';
import { metricHandlers } from '../../lib/testing/metric-fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../../lib/testing/resize-observer';
import { DashboardsView } from './dashboards-view';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../../lib/testing/fake-chart')).FakeChart,
}));

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

function Dashboards() {
  useLiveSync();
  return <DashboardsView />;
}

let store: FakeDashboardStore;
let transport: FakeTransport;

function renderDashboards(role: 'operator' | 'viewer' = 'operator') {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(fixtureSession([role])),
    ...metricHandlers(),
    ...store.handlers,
  });
  return renderWithProviders(<Dashboards />, { transport });
}

async function openOpsRoom(user: ReturnType<typeof userEvent.setup>) {
  const item = await screen.findByTestId('dashboard-item-ops-room');
  await user.click(within(item).getByRole('button'));
  await screen.findByTestId('panel-latency');
}

/** jsdom's Blob has no text(): read it the older way. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(new Error('the blob could not be read'));
    reader.readAsText(blob);
  });
}

let resize: ResizeControl;
beforeEach(() => {
  store = createDashboardStore();
  fakeCharts.length = 0;
  resize = installResizeObserver(600);
});
afterEach(() => {
  cleanup();
  resize.restore();
  vi.restoreAllMocks();
});

describe('DashboardsView', () => {
  it('lists Vigie’s own dashboards as built by Vigie and the others with who saved them and when', async () => {
    renderDashboards();
    const auto = await screen.findByTestId('dashboard-item-auto-zone-a');
    expect(auto.dataset['origin']).toBe('auto');
    expect(text(within(auto).getByTestId('dashboard-origin'))).toBe('Built by Vigie (read-only)');
    const user = screen.getByTestId('dashboard-item-ops-room');
    expect(user.dataset['origin']).toBe('user');
    expect(text(within(user).getByTestId('dashboard-origin'))).toBe('Saved by marie at 13:10');
  });

  it('queries every panel series over the dashboard preset, sized by the panel width, and refreshes', async () => {
    const user = userEvent.setup();
    const { clock } = renderDashboards();
    await openOpsRoom(user);
    await waitFor(() => expect(transport.callsTo('metrics.query')).toHaveLength(2));
    const to = Math.ceil(FIXTURE_NOW / 30_000) * 30_000;
    expect(transport.callsTo('metrics.query')).toEqual([
      {
        source: 'main',
        measurement: 'vigie',
        field: 'latency',
        where: [{ key: 'source', op: '=', value: 'api-a' }],
        groupBy: [],
        aggregation: 'mean',
        from: to - 3_600_000,
        to,
        widthPx: 600,
      },
      {
        source: 'main',
        measurement: 'vigie',
        field: 'batteryCharge',
        where: [],
        groupBy: ['zone'],
        aggregation: 'min',
        from: to - 3_600_000,
        to,
        widthPx: 600,
      },
    ]);
    expect(text(screen.getByTestId('dashboard-mode'))).toBe('Live: refreshed every 30 s');

    // The preset buttons change the range; reset goes back to the dashboard's own.
    await user.click(screen.getByTestId('dashboard-preset-24h'));
    await waitFor(() =>
      expect((transport.callsTo('metrics.query').at(-1) as RequestIn<'metrics.query'>).from).toBe(
        to - 86_400_000,
      ),
    );
    await user.click(screen.getByTestId('dashboard-range-reset'));
    expect(screen.getByTestId('dashboard-preset-1h').getAttribute('aria-pressed')).toBe('true');

    const asked = transport.callsTo('metrics.query').length;
    act(() => clock.advance(30_000));
    await waitFor(() => expect(transport.callsTo('metrics.query').length).toBe(asked + 2));
    expect((transport.callsTo('metrics.query').at(-1) as RequestIn<'metrics.query'>).to).toBe(to + 30_000);
  });

  it('shows an absolute period as fixed, in the operator’s zone, asks it once and never follows the clock', async () => {
    const user = userEvent.setup();
    const from = Date.UTC(2024, 2, 10, 13, 0);
    const to = Date.UTC(2024, 2, 10, 15, 30);
    store.saveElsewhere(fixtureDashboard({ time: { kind: 'absolute', from, to } }), 'marie');
    const { clock } = renderDashboards();
    await openOpsRoom(user);
    await waitFor(() => expect(transport.callsTo('metrics.query')).toHaveLength(2));
    for (const request of transport.callsTo('metrics.query'))
      expect(request).toMatchObject({ from, to, widthPx: 600 });
    const mode = screen.getByTestId('dashboard-mode');
    expect(mode.dataset['live']).toBe('false');
    // Europe/Brussels: 13:00 UTC is 14:00 CET.
    expect(text(mode)).toMatch(
      /^Fixed period: 10 Mar 2024, 14:00:00 – 10 Mar 2024, 16:30:00 \(CET\)\. Not refreshed\.$/,
    );
    expect(screen.getByTestId<HTMLInputElement>('dashboard-period-from').value).toBe('2024-03-10T14:00');
    for (const preset of ['15m', '1h', '6h', '24h', '7d', '30d'])
      expect(screen.getByTestId(`dashboard-preset-${preset}`).getAttribute('aria-pressed')).toBe('false');

    act(() => clock.advance(120_000));
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(transport.callsTo('metrics.query')).toHaveLength(2);
    // Old data in a fixed period is what was asked for: no "no data since".
    expect(within(screen.getByTestId('panel-latency')).queryByText(/No data since/)).toBeNull();
  });

  it('looks at a fixed period typed in the operator’s zone and keeps it as the dashboard’s own', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await openOpsRoom(user);
    await waitFor(() => expect(transport.callsTo('metrics.query')).toHaveLength(2));
    fireEvent.change(screen.getByTestId('dashboard-period-from'), { target: { value: '2024-07-01T09:00' } });
    fireEvent.change(screen.getByTestId('dashboard-period-to'), { target: { value: '2024-07-01T11:00' } });
    await user.click(screen.getByTestId('dashboard-period-apply'));
    // Brussels in summer is UTC+2.
    const from = Date.UTC(2024, 6, 1, 7, 0);
    const to = Date.UTC(2024, 6, 1, 9, 0);
    await waitFor(() =>
      expect(transport.callsTo('metrics.query').at(-1)).toMatchObject({ from, to, field: 'batteryCharge' }),
    );
    expect(screen.getByTestId('dashboard-mode').dataset['live']).toBe('false');
    expect(screen.queryByTestId('dashboard-unsaved')).toBeNull();

    await user.click(screen.getByTestId('dashboard-keep-period'));
    expect(screen.getByTestId('dashboard-unsaved')).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>('dashboard-range-reset').disabled).toBe(true);
    await user.click(screen.getByTestId('dashboard-save'));
    await waitFor(() => expect(transport.callsTo('dashboards.save')).toHaveLength(1));
    const sent = transport.callsTo('dashboards.save')[0] as RequestIn<'dashboards.save'>;
    expect(sent.dashboard).toMatchObject({ schemaVersion: 2, time: { kind: 'absolute', from, to } });

    // Back to a preset: live again.
    await user.click(screen.getByTestId('dashboard-preset-6h'));
    expect(screen.getByTestId('dashboard-mode').dataset['live']).toBe('true');
  });

  it('refuses a fixed period whose end is not after its start', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await openOpsRoom(user);
    fireEvent.change(screen.getByTestId('dashboard-period-from'), { target: { value: '2024-07-01T11:00' } });
    fireEvent.change(screen.getByTestId('dashboard-period-to'), { target: { value: '2024-07-01T09:00' } });
    await user.click(screen.getByTestId('dashboard-period-apply'));
    expect(text(screen.getByRole('alert'))).toBe('Enter a start and an end, the start before the end.');
    expect(screen.getByTestId('dashboard-mode').dataset['live']).toBe('true');
  });

  it('shows "no data since" on a stale panel and the source state on a panel whose source is unreachable', async () => {
    const user = userEvent.setup();
    store.saveElsewhere(
      fixtureDashboard({
        panels: [
          { ...fixtureDashboard().panels[0]! },
          {
            ...fixtureDashboard().panels[1]!,
            series: [{ ...fixtureDashboard().panels[1]!.series[0]!, source: 'influx-dc2' }],
          },
        ],
      }),
      'marie',
    );
    transport = createFakeTransport({
      'app.info': () => ok(fixtureAppInfo()),
      ...metricHandlers(undefined, {
        'metrics.query': (request) =>
          ok({
            frames: [
              {
                name: request.field,
                tags: {},
                unit: 'milliseconds',
                times: [FIXTURE_NOW - 600_000],
                values: [120],
              },
            ],
            truncated: false,
            queryText: '',
            stepMs: 10_000,
          }),
      }),
      ...store.handlers,
    });
    renderWithProviders(<Dashboards />, { transport });
    await openOpsRoom(user);
    const latency = screen.getByTestId('panel-latency');
    await waitFor(() =>
      expect(text(within(latency).getByTestId('metric-chart-notice'))).toBe('No data since 14:00'),
    );
    const battery = screen.getByTestId('panel-battery');
    await waitFor(() => expect(within(battery).getByTestId('source-unreachable')).toBeTruthy());
    expect(within(battery).queryByTestId('metric-chart')).toBeNull();
    expect(transport.callsTo('metrics.query').every((r) => (r as { source: string }).source === 'main')).toBe(
      true,
    );
  });

  it('keeps a viewer read-only: every change is disabled, with the reason in words', async () => {
    const user = userEvent.setup();
    renderDashboards('viewer');
    await openOpsRoom(user);
    const reason = await screen.findByTestId('board-read-only-reason');
    expect(text(reason)).toContain(
      'Changing dashboards needs the role Operator, On call, Service manager or Administrator',
    );
    for (const id of ['dashboard-save', 'dashboard-delete', 'dashboard-add-panel', 'dashboard-rename']) {
      const button = screen.getByTestId<HTMLButtonElement>(id);
      expect(button.disabled).toBe(true);
      expect(button.getAttribute('aria-describedby')).toBe(reason.id);
    }
    expect(screen.getByTestId<HTMLButtonElement>('dashboard-new').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('dashboard-export').disabled).toBe(false);
    expect(within(screen.getByTestId('panel-latency')).queryByRole('button', { name: /Remove/ })).toBeNull();
  });

  it('keeps Vigie’s own dashboards read-only even for an operator', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await user.click(within(await screen.findByTestId('dashboard-item-auto-zone-a')).getByRole('button'));
    await screen.findByTestId('panel-temperature');
    expect(text(screen.getByTestId('board-read-only-reason'))).toContain('Vigie builds this dashboard');
    expect(screen.getByTestId<HTMLButtonElement>('dashboard-delete').disabled).toBe(true);
  });

  it('saves with the revision the edit started from, and on CONFLICT explains and offers to reload', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await openOpsRoom(user);
    await user.click(screen.getByTestId('remove-panel-battery'));
    expect(screen.queryByTestId('panel-battery')).toBeNull();
    expect(screen.getByTestId('dashboard-unsaved')).toBeTruthy();

    // Someone else saves in the meantime (revision 3 → 4).
    store.saveElsewhere({ ...fixtureDashboard(), title: 'Ops room (night)' }, 'piet');
    await user.click(screen.getByTestId('dashboard-save'));
    const sent = transport.callsTo('dashboards.save')[0] as RequestIn<'dashboards.save'>;
    expect(sent.baseRevision).toBe(3);
    expect((sent.dashboard as { panels: unknown[] }).panels).toHaveLength(1);

    const conflict = await screen.findByTestId('save-conflict');
    expect(text(conflict)).toContain('Someone else saved this dashboard in the meantime.');
    await user.click(within(conflict).getByTestId('conflict-reload'));
    await waitFor(() => expect(text(screen.getByTestId('dashboard-title'))).toBe('Ops room (night)'));
    expect(screen.queryByTestId('save-conflict')).toBeNull();
    expect(screen.queryByTestId('dashboard-unsaved')).toBeNull();

    // Now based on revision 4: the save goes through.
    await user.click(screen.getByTestId('remove-panel-battery'));
    await user.click(screen.getByTestId('dashboard-save'));
    await waitFor(() => expect(screen.queryByTestId('dashboard-unsaved')).toBeNull());
    expect((transport.callsTo('dashboards.save')[1] as RequestIn<'dashboards.save'>).baseRevision).toBe(4);
    expect(store.entries.get('ops-room')?.summary.revision).toBe(5);
  });

  it('creates a dashboard, adds a panel from a chosen series, and saves it as new', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await screen.findByTestId('dashboard-item-ops-room');
    await user.click(screen.getByTestId('dashboard-new'));
    await user.type(screen.getByTestId('dashboard-title-input'), 'Salle B: énergie');
    await user.click(screen.getByTestId('dashboard-title-ok'));
    expect(text(screen.getByTestId('dashboard-title'))).toBe('Salle B: énergie');

    await user.click(screen.getByTestId('dashboard-add-panel'));
    await user.type(screen.getByTestId('panel-title'), 'Battery');
    const measurement = screen.getByTestId<HTMLSelectElement>('panel-measurement');
    await waitFor(() => expect(within(measurement).queryByRole('option', { name: 'vigie' })).toBeTruthy());
    await user.selectOptions(measurement, 'vigie');
    const field = screen.getByTestId<HTMLSelectElement>('panel-field');
    await waitFor(() => expect(within(field).queryByRole('option', { name: 'batteryCharge' })).toBeTruthy());
    await user.selectOptions(field, 'batteryCharge');
    await user.selectOptions(screen.getByTestId('panel-aggregation'), 'min');
    await user.click(screen.getByTestId('panel-add'));
    await screen.findByTestId('panel-panel-1');

    await user.click(screen.getByTestId('dashboard-save'));
    await waitFor(() => expect(transport.callsTo('dashboards.save')).toHaveLength(1));
    const sent = transport.callsTo('dashboards.save')[0] as RequestIn<'dashboards.save'>;
    expect(sent.baseRevision).toBeUndefined();
    expect(sent.dashboard).toMatchObject({
      id: 'salle-b-energie',
      title: 'Salle B: énergie',
      panels: [
        {
          id: 'panel-1',
          title: 'Battery',
          layout: { x: 0, y: 0, w: 6, h: 4 },
          series: [{ source: 'main', measurement: 'vigie', field: 'batteryCharge', aggregation: 'min' }],
        },
      ],
    });
    await screen.findByTestId('dashboard-item-salle-b-energie');
  });

  it('deletes a user dashboard after a confirmation', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await openOpsRoom(user);
    await user.click(screen.getByTestId('dashboard-delete'));
    const dialog = screen.getByRole('dialog', { name: 'Delete “Operations room”?' });
    await user.click(within(dialog).getByTestId('delete-confirm'));
    expect(transport.callsTo('dashboards.delete')).toEqual([{ id: 'ops-room' }]);
    await waitFor(() => expect(screen.queryByTestId('dashboard-item-ops-room')).toBeNull());
    expect(screen.queryByTestId('dashboard')).toBeNull();
  });

  it('exports the dashboard JSON from the engine as a file download', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: vi.fn((blob: Blob) => {
        created.push(blob);
        return 'blob:vigie/dash';
      }),
      revokeObjectURL: vi.fn(),
    });
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(`${this.download} ${this.href}`);
    });
    renderDashboards('viewer');
    await openOpsRoom(user);
    await user.click(screen.getByTestId('dashboard-export'));
    await waitFor(() => expect(downloads).toEqual(['vigie-dashboard-ops-room.json blob:vigie/dash']));
    expect(transport.callsTo('dashboards.export')).toEqual([{ id: 'ops-room' }]);
    expect(created[0]?.type).toBe('application/json');
    expect(JSON.parse(await readBlob(created[0]!))).toEqual(fixtureDashboard());
  });

  it('lists import problems with their paths, then previews a valid document and saves it as new', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await screen.findByTestId('dashboard-item-ops-room');
    await user.click(screen.getByTestId('dashboard-import'));
    const dialog = screen.getByTestId('import-dialog');
    const field = within(dialog).getByTestId('import-json');
    const broken = {
      ...fixtureDashboard(),
      refreshSeconds: 1,
      panels: [{ ...fixtureDashboard().panels[0]!, title: '' }],
    };
    fireEvent.change(field, { target: { value: JSON.stringify(broken) } });
    await user.click(within(dialog).getByTestId('import-check'));
    const issues = await within(dialog).findByTestId('import-issues');
    const paths = within(issues)
      .getAllByTestId('import-issue')
      .map((li) => li.querySelector('code')?.textContent);
    expect(paths).toEqual(expect.arrayContaining(['refreshSeconds', 'panels.0.title']));
    expect(within(dialog).queryByTestId('import-save')).toBeNull();

    // A valid document whose id is taken: previewed, then saved under a free id.
    fireEvent.change(field, { target: { value: JSON.stringify(fixtureDashboard({ title: 'Imported' })) } });
    await user.click(within(dialog).getByTestId('import-check'));
    const preview = await within(dialog).findByTestId('import-preview');
    expect(text(preview)).toContain('Imported');
    expect(text(preview)).toContain('2 panels, period 1 h, refreshed every 30 s');
    expect(text(preview)).toContain('API latency');
    await user.click(within(preview).getByTestId('import-save'));
    await waitFor(() => expect(screen.queryByTestId('import-dialog')).toBeNull());
    const sent = transport.callsTo('dashboards.save')[0] as RequestIn<'dashboards.save'>;
    expect(sent.baseRevision).toBeUndefined();
    expect(sent.dashboard).toMatchObject({ id: 'ops-room-2', title: 'Imported' });
    await waitFor(() => expect(text(screen.getByTestId('dashboard-title'))).toBe('Imported'));
  });

  it('imports a version 1 file (range preset) as version 2 and says it was converted', async () => {
    const user = userEvent.setup();
    renderDashboards();
    await screen.findByTestId('dashboard-item-ops-room');
    await user.click(screen.getByTestId('dashboard-import'));
    const v1 = {
      ...fixtureDashboard({ id: 'night-shift', title: 'Night shift' }),
      schemaVersion: 1,
    } as Record<string, unknown>;
    delete v1['time'];
    v1['range'] = '24h';
    fireEvent.change(screen.getByTestId('import-json'), { target: { value: JSON.stringify(v1) } });
    await user.click(screen.getByTestId('import-check'));
    const preview = await screen.findByTestId('import-preview');
    expect(text(preview)).toContain('2 panels, period 24 h, refreshed every 30 s');
    expect(text(preview)).toContain('Converted from format version 1.');
    await user.click(within(preview).getByTestId('import-save'));
    await waitFor(() => expect(transport.callsTo('dashboards.save')).toHaveLength(1));
    expect((transport.callsTo('dashboards.save')[0] as RequestIn<'dashboards.save'>).dashboard).toMatchObject(
      {
        schemaVersion: 2,
        time: { kind: 'relative', preset: '24h' },
      },
    );
  });

  it('lets a viewer check an import but not save it', async () => {
    const user = userEvent.setup();
    renderDashboards('viewer');
    await screen.findByTestId('dashboard-item-ops-room');
    await user.click(screen.getByTestId('dashboard-import'));
    fireEvent.change(screen.getByTestId('import-json'), {
      target: { value: JSON.stringify(fixtureDashboard()) },
    });
    await user.click(screen.getByTestId('import-check'));
    const save = await screen.findByTestId<HTMLButtonElement>('import-save');
    expect(save.disabled).toBe(true);
    expect(text(screen.getByTestId('import-preview'))).toContain(
      'Changing dashboards needs the role Operator, On call, Service manager or Administrator',
    );
  });

  it('refreshes the list when the engine pushes dashboards.changed', async () => {
    renderDashboards();
    await screen.findByTestId('dashboard-item-ops-room');
    await act(async () => {
      transport.emit('dashboards.changed', {
        dashboards: [
          ...store.list().dashboards,
          {
            id: 'night-shift',
            title: 'Night shift',
            origin: 'user',
            revision: 1,
            updatedAt: FIXTURE_NOW,
            updatedBy: 'piet',
          },
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(text(screen.getByTestId('dashboard-item-night-shift'))).toContain('Saved by piet at 14:10');
  });
});
