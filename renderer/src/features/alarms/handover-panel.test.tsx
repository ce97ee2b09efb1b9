import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Handover } from '../../../../shared/api';
import { alarmHandlers, handover, handoverDigest } from '../../lib/testing/alarm-fixtures';
import {
  createFakeTransport,
  failure,
  ok,
  type FakeHandlers,
  type FakeTransport,
} from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureOverview, fixtureSession } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { AlarmsView } from './alarms-view';
import { Live, shownText } from '../../lib/testing/live';

let transport: FakeTransport;

function setup(handovers: Handover[], handlers: FakeHandlers = {}, role: 'operator' | 'viewer' = 'operator') {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(fixtureSession([role])),
    'overview.get': () => ok(fixtureOverview()),
    ...alarmHandlers(),
    'handover.list': () => ok({ handovers }),
    ...handlers,
  });
  return renderWithProviders(
    <Live>
      <AlarmsView />
    </Live>,
    { transport },
  );
}

async function openHandover(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await screen.findAllByTestId('alarm-row');
  await user.keyboard('h');
  return screen.findByTestId('handover');
}

afterEach(cleanup);

describe('the shift handover', () => {
  it('shows the shift as it stands: counts, outstanding, acknowledged, snoozed, escalations, raised since', async () => {
    const user = userEvent.setup();
    setup([]);
    const panel = await openHandover(user);
    await within(panel).findByTestId('handover-digest');
    expect(within(panel).getByTestId('handover-outstanding').dataset['count']).toBe('5');
    expect(shownText(within(panel).getByTestId('handover-outstanding'))).toContain('Web portal B');
    expect(shownText(within(panel).getByTestId('handover-acknowledged'))).toContain('alice');
    expect(shownText(within(panel).getByTestId('handover-acknowledged'))).toContain('Cooling restarting');
    expect(shownText(within(panel).getByTestId('handover-snoozed'))).toContain('PDU B1');
    expect(shownText(within(panel).getByTestId('handover-escalating'))).toContain('Step 2/3, next in 01:30');
    expect(shownText(within(panel).getByTestId('handover-raised'))).toBe('11 alarms raised since 06:10');
    expect(within(panel).getByTestId('alarm-count-critical').dataset['outstanding']).toBe('2');
    expect(shownText(panel)).toContain('No handover yet.');

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('handover')).toBeNull();
    expect(screen.getAllByTestId('alarm-row').length).toBeGreaterThan(0);
  });

  it('hands over with the notes, and lists the new handover', async () => {
    const user = userEvent.setup();
    const submitted = handover({
      id: 'h-2',
      createdAt: FIXTURE_NOW,
      createdBy: 'day-seat',
      notes: 'Call Bob about PDU B1',
    });
    setup([], { 'handover.submit': () => ok(submitted) });
    const panel = await openHandover(user);
    await user.type(within(panel).getByTestId('handover-notes'), 'Call Bob about PDU B1');
    await user.click(within(panel).getByTestId('handover-submit'));
    expect(transport.callsTo('handover.submit')).toEqual([{ notes: 'Call Bob about PDU B1' }]);
    expect(shownText(await within(panel).findByTestId('handover-submitted'))).toBe('Handed over at 14:10.');
    expect(within(panel).getByTestId<HTMLTextAreaElement>('handover-notes').value).toBe('');
    const past = within(panel).getAllByTestId('handover-past');
    expect(past.map((item) => item.dataset['handoverId'])).toEqual(['h-2']);
    expect(shownText(past[0]!)).toContain('Call Bob about PDU B1');
    expect(shownText(past[0]!)).toContain('Not taken yet');
  });

  it('offers the latest handover not yet taken to the incoming operator, who takes the shift', async () => {
    const user = userEvent.setup();
    const waiting = handover({ id: 'h-1' });
    setup([waiting], {
      'handover.acknowledge': () =>
        ok({ ...waiting, acknowledgedAt: FIXTURE_NOW, acknowledgedBy: 'day-seat' }),
    });
    await screen.findAllByTestId('alarm-row');
    expect(shownText(await screen.findByTestId('handover-pending'))).toContain('A handover from night-seat');
    await user.keyboard('h');
    const take = await screen.findByTestId('handover-take');
    expect(shownText(take)).toContain('Zone A UPS tests scheduled at 15:00.');
    expect(shownText(take)).toContain('5 outstanding, 1 acknowledged, 1 snoozed');
    await user.type(within(take).getByTestId('handover-take-comment'), 'Read, thanks');
    await user.click(within(take).getByTestId('handover-take-submit'));
    expect(transport.callsTo('handover.acknowledge')).toEqual([{ id: 'h-1', comment: 'Read, thanks' }]);
    expect(await screen.findByText(/Taken by day-seat/)).toBeTruthy();
    expect(screen.queryByTestId('handover-take')).toBeNull();
  });

  it('shows a handover taken on another seat at once, and a refused take in place', async () => {
    const user = userEvent.setup();
    const waiting = handover({ id: 'h-1' });
    setup([waiting], { 'handover.acknowledge': () => failure('CONFLICT', 'handover h-1 is already taken') });
    await openHandover(user);
    const take = await screen.findByTestId('handover-take');
    await user.click(within(take).getByTestId('handover-take-submit'));
    const error = await within(take).findByTestId('handover-take-error');
    expect(error.dataset['code']).toBe('CONFLICT');

    await act(async () => {
      transport.emit('handover.changed', {
        ...waiting,
        acknowledgedAt: FIXTURE_NOW,
        acknowledgedBy: 'other-seat',
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.queryByTestId('handover-take')).toBeNull();
    expect(shownText(screen.getByTestId('handover-taken'))).toBe(
      'Taken by other-seat, 23 Nov 2026, 14:10:00',
    );
  });

  it('asks the draft again when the alarms change', async () => {
    const user = userEvent.setup();
    setup([]);
    const panel = await openHandover(user);
    await within(panel).findByTestId('handover-digest');
    const calls = transport.callsTo('handover.draft').length;
    await act(async () => {
      const digest = handoverDigest();
      transport.emit('alarms.changed', {
        revision: 200,
        alarms: digest.outstanding.slice(0, 1).map((a) => ({ ...a, revision: 50 })),
        counts: digest.counts,
        escalations: {},
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(transport.callsTo('handover.draft').length).toBeGreaterThan(calls);
  });

  it('lets a viewer read the handover but not hand over', async () => {
    const user = userEvent.setup();
    setup([], {}, 'viewer');
    const panel = await openHandover(user);
    await within(panel).findByTestId('handover-digest');
    await screen.findByTestId('alarms-viewer-reason');
    const submit = within(panel).getByTestId<HTMLButtonElement>('handover-submit');
    expect(submit.disabled).toBe(true);
    expect(submit.getAttribute('aria-describedby')).toBe(screen.getByTestId('alarms-viewer-reason').id);
  });
});
