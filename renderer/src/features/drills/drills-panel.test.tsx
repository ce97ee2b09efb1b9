import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../../shared/api';
import { createFakeTransport, failure, ok, type FakeHandlers } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureScenarios, fixtureSession } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { DrillsPanel } from './drills-panel';

afterEach(cleanup);

function renderDrills(role: Role, extra: FakeHandlers = {}, scenarios = fixtureScenarios()) {
  const transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(fixtureSession([role])),
    'estate.scenarios': () => ok(scenarios),
    'estate.runScenario': ({ id }) => ok(fixtureScenarios({ active: { id, since: FIXTURE_NOW - 60_000 } })),
    ...extra,
  });
  return { transport, ...renderWithProviders(<DrillsPanel />, { transport }) };
}

describe('DrillsPanel', () => {
  it('lists the drills with their translated descriptions', async () => {
    renderDrills('operator');
    const panel = await screen.findByTestId('drills-panel');
    expect(panel.textContent).toContain(
      'Power failure in zone A: mains lost, UPS on battery, cooling stops, services degrade',
    );
    expect(panel.textContent).toContain(
      'Restore: mains back, batteries recharge, cooling and services recover',
    );
    expect(within(panel).getByTestId('drills-active').textContent).toBe('No scenario is running.');
  });

  it('disables running a drill for a viewer and says why', async () => {
    const user = userEvent.setup();
    const { transport } = renderDrills('viewer');
    const button = await screen.findByTestId<HTMLButtonElement>('scenario-zone-a-power-failure');
    await screen.findByTestId('drills-viewer-explanation');
    expect(button.disabled).toBe(true);
    const explanation = screen.getByTestId('drills-viewer-explanation');
    expect(explanation.textContent).toBe(
      'Running a drill needs the role Operator or On call, which you do not hold.',
    );
    expect(button.getAttribute('aria-describedby')).toBe(explanation.id);
    await user.click(button);
    expect(transport.callsTo('estate.runScenario')).toHaveLength(0);
  });

  it('runs a drill for an operator through estate.runScenario and shows it as active', async () => {
    const user = userEvent.setup();
    const { transport } = renderDrills('operator');
    const button = await screen.findByRole('button', {
      name: 'Run the drill: Power failure in zone A: mains lost, UPS on battery, cooling stops, services degrade',
    });
    expect(screen.queryByTestId('drills-viewer-explanation')).toBeNull();
    await user.click(button);
    expect(transport.callsTo('estate.runScenario')).toEqual([{ id: 'zone-a-power-failure' }]);
    const active = await screen.findByText(/^since 14:09/);
    expect(active.closest('[data-testid="drills-active"]')?.textContent).toContain(
      'Running: Power failure in zone A',
    );
  });

  it('shows a refused drill as a translated message with the log reference, never raw text', async () => {
    const user = userEvent.setup();
    renderDrills('operator', {
      'estate.runScenario': () =>
        failure('CONFLICT', 'Error: scenario already running\n    at run (estate.ts:42)', 'corr-42'),
    });
    await user.click(await screen.findByTestId('scenario-restore'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'The drill could not be started. The state changed in the meantime. Check, then try again.',
    );
    expect(alert.textContent).toContain('Reference for the logs: corr-42');
    expect(alert.textContent).not.toContain('estate.ts');
  });

  it('shows nothing when drills are not available (real equipment)', async () => {
    const { transport } = renderDrills('operator', {}, fixtureScenarios({ available: false }));
    await waitFor(() => expect(transport.callsTo('estate.scenarios')).toHaveLength(1));
    // Let the answer reach the component before checking that it rendered nothing.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(screen.queryByTestId('drills-panel')).toBeNull();
  });
});
