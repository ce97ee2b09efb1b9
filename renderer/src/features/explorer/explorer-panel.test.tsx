import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestIn } from '../../../../shared/api';
import { useLiveSync } from '../../lib/api/live-sync';
import { fakeCharts, liveCharts } from '../../lib/testing/fake-chart';
import { createFakeTransport, failure, ok, type FakeHandlers } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW } from '../../lib/testing/fixtures';
import { embeddedSource, fixtureQueryResult, metricHandlers } from '../../lib/testing/metric-fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../../lib/testing/resize-observer';
import { ExplorerPanel } from './explorer-panel';
import {
  explorerPresetForTile,
  explorerReducer,
  initialExplorerState,
  type ExplorerPreset,
} from './explorer-state';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../../lib/testing/fake-chart')).FakeChart,
}));

const HOUR = 3_600_000;

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

/** The explorer as the console holds it, with live events applied. */
function Explorer({ preset }: { preset?: ExplorerPreset }) {
  useLiveSync();
  const [state, dispatch] = useReducer(explorerReducer, undefined, () =>
    preset ? explorerReducer(initialExplorerState(), { type: 'preset', preset }) : initialExplorerState(),
  );
  return <ExplorerPanel state={state} dispatch={dispatch} />;
}

function renderExplorer(handlers: FakeHandlers = metricHandlers(), preset?: ExplorerPreset) {
  const transport = createFakeTransport(handlers);
  const result = renderWithProviders(<Explorer {...(preset ? { preset } : {})} />, { transport });
  return { transport, ...result };
}

function queries(transport: ReturnType<typeof createFakeTransport>): RequestIn<'metrics.query'>[] {
  return transport.callsTo('metrics.query') as RequestIn<'metrics.query'>[];
}

async function chooseLatency(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  const measurement = await screen.findByTestId<HTMLSelectElement>('explorer-measurement');
  await waitFor(() => expect(within(measurement).queryByRole('option', { name: 'vigie' })).toBeTruthy());
  await user.selectOptions(measurement, 'vigie');
  const field = screen.getByTestId<HTMLSelectElement>('explorer-field');
  await waitFor(() => expect(within(field).queryByRole('option', { name: 'latency' })).toBeTruthy());
  await user.selectOptions(field, 'latency');
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
  fakeCharts.length = 0;
  resize = installResizeObserver(800);
});
afterEach(() => {
  cleanup();
  resize.restore();
  vi.restoreAllMocks();
});

describe('ExplorerPanel', () => {
  it('lists every source with its connection state, error, last answer, clock skew and queue', async () => {
    renderExplorer();
    const influx = await screen.findByTestId('source-influx-dc2');
    expect(influx.dataset['state']).toBe('unreachable');
    expect(text(within(influx).getByTestId('source-state'))).toBe('Unreachable');
    expect(within(influx).getByTestId('source-state').querySelector('[data-icon="down"]')).toBeTruthy();
    expect(text(within(influx).getByTestId('source-error'))).toBe(
      'Error ECONNREFUSED: connect ECONNREFUSED 10.0.0.7:8086',
    );
    expect(text(within(influx).getByTestId('source-last-ok'))).toBe('Last OK 13:55');
    expect(text(within(influx).getByTestId('source-skew')).trim()).toBe(
      'Its clock is 45 s ahead of the engine’s: ages may be wrong.',
    );
    expect(text(within(influx).getByTestId('source-queued'))).toBe('1,234 points waiting to be written');
    expect(text(within(influx).getByTestId('source-dropped')).trim()).toBe(
      '56 points lost (queue full), the last at 14:01',
    );

    const main = screen.getByTestId('source-main');
    expect(text(within(main).getByTestId('source-state'))).toBe('Connected');
    // 120 ms of skew is no news; a connected source shows no error.
    expect(within(main).queryByTestId('source-skew')).toBeNull();
    expect(within(main).queryByTestId('source-error')).toBeNull();
    // The connected source is the default one.
    expect(within(main).getByRole<HTMLInputElement>('radio').checked).toBe(true);
  });

  it('asks metrics.query for the chosen measurement and field, sized by the width of the chart plot', async () => {
    const user = userEvent.setup();
    const { transport } = renderExplorer();
    await chooseLatency(user);
    await waitFor(() => expect(queries(transport)).toHaveLength(1));
    expect(queries(transport)[0]).toEqual({
      source: 'main',
      measurement: 'vigie',
      field: 'latency',
      where: [],
      groupBy: [],
      aggregation: 'mean',
      from: FIXTURE_NOW - HOUR,
      to: FIXTURE_NOW,
      widthPx: 800,
    });
    await waitFor(() => expect(liveCharts()[0]?.data.datasets).toHaveLength(1));
    expect(liveCharts()[0]?.data.datasets[0]?.label).toBe('latency (mean)');
    expect(text(screen.getByTestId('metric-chart-legend'))).toContain('latency (mean)(ms)');

    await user.selectOptions(screen.getByTestId('explorer-aggregation'), 'p95');
    await waitFor(() => expect(queries(transport).at(-1)?.aggregation).toBe('p95'));
  });

  it('adds a tag filter and a group-by tag to the request', async () => {
    const user = userEvent.setup();
    const { transport } = renderExplorer();
    await chooseLatency(user);
    await user.click(screen.getByTestId('explorer-add-filter'));
    const filter = screen.getByTestId('explorer-filter');
    await user.selectOptions(within(filter).getByTestId('filter-key'), 'source');
    await user.selectOptions(within(filter).getByTestId('filter-op'), '!=');
    const value = within(filter).getByTestId<HTMLSelectElement>('filter-value');
    await waitFor(() => expect(within(value).queryByRole('option', { name: 'web-b' })).toBeTruthy());
    await user.selectOptions(value, 'web-b');
    await user.click(screen.getByTestId('group-by-zone'));

    await waitFor(() =>
      expect(queries(transport).at(-1)).toMatchObject({
        where: [{ key: 'source', op: '!=', value: 'web-b' }],
        groupBy: ['zone'],
      }),
    );
    expect(transport.callsTo('metrics.tagValues')).toContainEqual({
      source: 'main',
      measurement: 'vigie',
      key: 'source',
    });
    // One line per zone, each named by its tag.
    await waitFor(() =>
      expect(liveCharts()[0]?.data.datasets.map((d) => d.label)).toEqual([
        'latency (mean) · zone=a',
        'latency (mean) · zone=b',
        'latency (mean) · zone=witness',
      ]),
    );
  });

  it('sets from and to from the clock with the preset buttons, and asks again every 10 s while live', async () => {
    const user = userEvent.setup();
    const { transport, clock } = renderExplorer(metricHandlers(), explorerPresetForTile('api-a', 'latency'));
    await waitFor(() => expect(queries(transport)).toHaveLength(1));
    await user.click(screen.getByTestId('preset-24h'));
    await waitFor(() =>
      expect(queries(transport).at(-1)).toMatchObject({ from: FIXTURE_NOW - 24 * HOUR, to: FIXTURE_NOW }),
    );
    expect(screen.getByTestId('preset-24h').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId<HTMLInputElement>('range-from').value).toBe('2026-11-22T14:10');
    expect(screen.getByTestId<HTMLInputElement>('range-to').value).toBe('2026-11-23T14:10');
    expect(text(screen.getByTestId('explorer-mode'))).toBe('Live: refreshed every 10 s');

    act(() => clock.advance(10_000));
    await waitFor(() =>
      expect(queries(transport).at(-1)).toMatchObject({
        from: FIXTURE_NOW + 10_000 - 24 * HOUR,
        to: FIXTURE_NOW + 10_000,
      }),
    );
  });

  it('reads typed from/to in the operator time zone and stops the live tail', async () => {
    const user = userEvent.setup();
    const { transport, clock } = renderExplorer(metricHandlers(), explorerPresetForTile('api-a', 'latency'));
    await waitFor(() => expect(queries(transport)).toHaveLength(1));
    fireEvent.change(screen.getByTestId('range-from'), { target: { value: '2026-11-23T08:00' } });
    fireEvent.change(screen.getByTestId('range-to'), { target: { value: '2026-11-23T09:30' } });
    await user.click(screen.getByTestId('range-apply'));
    await waitFor(() =>
      expect(queries(transport).at(-1)).toMatchObject({
        from: Date.UTC(2026, 10, 23, 7, 0),
        to: Date.UTC(2026, 10, 23, 8, 30),
      }),
    );
    expect(text(screen.getByTestId('explorer-mode'))).toBe('Fixed period: not refreshed');
    const asked = queries(transport).length;
    act(() => clock.advance(30_000));
    expect(queries(transport)).toHaveLength(asked);

    // Earlier shifts by half the span; reset goes back to what was typed.
    await user.click(screen.getByTestId('range-earlier'));
    await waitFor(() =>
      expect(queries(transport).at(-1)).toMatchObject({
        from: Date.UTC(2026, 10, 23, 6, 15),
        to: Date.UTC(2026, 10, 23, 7, 45),
      }),
    );
    await user.click(screen.getByTestId('range-reset'));
    expect(screen.getByTestId<HTMLInputElement>('range-from').value).toBe('2026-11-23T08:00');
  });

  it('copies the query text, and selects it in a read-only field when the clipboard refuses', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderExplorer(metricHandlers(), explorerPresetForTile('api-a', 'latency'));
    const copy = await screen.findByTestId<HTMLButtonElement>('copy-query');
    await waitFor(() => expect(copy.disabled).toBe(false));
    copy.focus();
    await user.keyboard('{Enter}');
    const expected = `SELECT mean("latency") FROM "vigie" WHERE time >= ${FIXTURE_NOW - HOUR}ms AND time <= ${FIXTURE_NOW}ms`;
    expect(writeText).toHaveBeenCalledWith(expected);
    expect(text(screen.getByTestId('copy-status'))).toBe('Query copied.');
    expect(screen.queryByTestId('query-text')).toBeNull();

    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    writeText.mockImplementation(() =>
      Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    );
    await user.click(copy);
    const field = await screen.findByTestId<HTMLTextAreaElement>('query-text');
    expect(field.readOnly).toBe(true);
    expect(field.value).toBe(expected);
    expect(document.activeElement).toBe(field);
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, expected.length]);
    expect(screen.getByText(/press Ctrl\+C to copy it/)).toBeTruthy();
  });

  it('exports the series as CSV through a Blob download', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:vigie/1';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe('vigie-20261123T131000Z.csv');
      expect(this.href).toBe('blob:vigie/1');
    });
    renderExplorer(metricHandlers(), explorerPresetForTile('api-a', 'latency'));
    const exportButton = await screen.findByTestId<HTMLButtonElement>('export-csv');
    await waitFor(() => expect(exportButton.disabled).toBe(false));
    await user.click(exportButton);
    expect(click).toHaveBeenCalledTimes(1);
    const csv = (await readBlob(created[0]!)).replace(/^\ufeff/, '');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,latency (mean) · source=api-a (ms)');
    expect(lines[1]).toBe(`${new Date(FIXTURE_NOW - 4 * 60_000).toISOString()},120`);
    // The gap is an empty cell, never a zero.
    expect(lines[3]).toBe(`${new Date(FIXTURE_NOW - 2 * 60_000).toISOString()},`);
  });

  it('warns that a capped result is incomplete', async () => {
    renderExplorer(
      metricHandlers(undefined, { 'metrics.query': (r) => ok(fixtureQueryResult(r, { truncated: true })) }),
      explorerPresetForTile('api-a', 'latency'),
    );
    const warning = await screen.findByTestId('explorer-truncated');
    expect(text(warning)).toContain('Result capped: data incomplete.');
    expect(text(warning)).toContain('latency (mean) · source=api-a');
  });

  it('shows a VALIDATION error translated, with the engine message and the log reference', async () => {
    renderExplorer(
      metricHandlers(undefined, {
        'metrics.query': () =>
          failure('VALIDATION', 'unknown field "latency" in measurement "vigie"', 'corr-9'),
      }),
      explorerPresetForTile('api-a', 'latency'),
    );
    const alert = await screen.findByTestId('explorer-query-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(text(alert)).toContain(
      'No data for latency (mean) · source=api-a. The request was refused as invalid.',
    );
    expect(text(alert)).toContain('Engine message: unknown field "latency" in measurement "vigie"');
    expect(text(alert)).toContain('Reference for the logs: corr-9');
  });

  it('shows UPSTREAM_UNAVAILABLE translated with the engine message, in French too', async () => {
    renderWithProviders(<Explorer preset={explorerPresetForTile('api-a', 'latency')} />, {
      transport: createFakeTransport(
        metricHandlers(undefined, {
          'metrics.query': () =>
            failure('UPSTREAM_UNAVAILABLE', 'InfluxDB 10.0.0.7:8086: connection refused', 'corr-5'),
        }),
      ),
      locale: 'fr',
    });
    const alert = await screen.findByTestId('explorer-query-error');
    expect(text(alert)).toContain('Le moteur ou l’une de ses sources est injoignable.');
    expect(text(alert)).toContain('Message du moteur : InfluxDB 10.0.0.7:8086: connection refused');
    expect(alert.dataset['code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('does not show the engine message of an INTERNAL error', async () => {
    renderExplorer(
      metricHandlers(undefined, {
        'metrics.query': () => failure('INTERNAL', 'TypeError: x is undefined at y.ts:3'),
      }),
      explorerPresetForTile('api-a', 'latency'),
    );
    const alert = await screen.findByTestId('explorer-query-error');
    expect(text(alert)).toContain('Internal error in the engine.');
    expect(text(alert)).not.toContain('y.ts');
  });

  it('shows an unreachable source as a clear state, never its old data as if live', async () => {
    const { transport } = renderExplorer(
      metricHandlers([embeddedSource()]),
      explorerPresetForTile('ups-a1', 'batteryCharge'),
    );
    await waitFor(() => expect(liveCharts()[0]?.data.datasets).toHaveLength(1));

    act(() =>
      transport.emit('metrics.sourcesChanged', {
        sources: [
          embeddedSource({
            state: 'unreachable',
            lastOkAt: FIXTURE_NOW - 3 * 60_000,
            lastError: { code: 'TIMEOUT', message: 'no answer in 5000 ms', at: FIXTURE_NOW - 1_000 },
          }),
        ],
      }),
    );
    const state = await screen.findByTestId('source-unreachable');
    expect(state.getAttribute('role')).toBe('alert');
    expect(text(state)).toContain('Source “Embedded store” is unreachable');
    expect(text(state)).toContain('Error TIMEOUT: no answer in 5000 ms');
    expect(text(state)).toContain('Last OK 14:07');
    expect(screen.queryByTestId('metric-chart')).toBeNull();
    expect(liveCharts()).toHaveLength(0);
    expect(screen.getByTestId<HTMLButtonElement>('export-csv').disabled).toBe(true);
  });

  it('asks nothing of an unreachable source chosen in the list', async () => {
    const user = userEvent.setup();
    const { transport } = renderExplorer();
    const influx = await screen.findByTestId('source-influx-dc2');
    await user.click(within(influx).getByRole('radio'));
    const state = await screen.findByTestId('source-unreachable');
    expect(text(state)).toContain('Source “InfluxDB DC2” is unreachable');
    expect(screen.queryByTestId('metric-chart')).toBeNull();
    expect(transport.callsTo('metrics.catalog')).not.toContainEqual({ source: 'influx-dc2' });
    expect(queries(transport)).toHaveLength(0);
  });

  it('draws several series on one chart, one query each', async () => {
    const user = userEvent.setup();
    const { transport } = renderExplorer(metricHandlers(), explorerPresetForTile('api-a', 'latency'));
    await waitFor(() => expect(queries(transport)).toHaveLength(1));
    await user.click(screen.getByTestId('explorer-add-series'));
    const field = screen.getByTestId<HTMLSelectElement>('explorer-field');
    await waitFor(() => expect(within(field).queryByRole('option', { name: 'temperature' })).toBeTruthy());
    await user.selectOptions(field, 'temperature');
    await waitFor(() => expect(liveCharts()[0]?.data.datasets).toHaveLength(2));
    expect(queries(transport).at(-1)).toMatchObject({
      field: 'temperature',
      where: [{ key: 'source', op: '=', value: 'api-a' }],
    });
    expect(liveCharts()[0]?.data.datasets.map((d) => d.yAxisID)).toEqual(['y0', 'y1']);
  });
});
