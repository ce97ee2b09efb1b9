import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmsChanged } from '../../../../shared/api';
import { countAlarms, type Alarm } from '../../../../shared/domain/alarm';
import { ALARMS_APPLY_INTERVAL_MS } from '../../lib/api/live-sync';
import { alarm, alarmHandlers, fixtureAlarms } from '../../lib/testing/alarm-fixtures';
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
import { Live, emitAndSettle, shownText } from '../../lib/testing/live';

function rowIds(): string[] {
  return screen.queryAllByTestId('alarm-row').map((row) => {
    const depth = row.dataset['depth'] === '1' ? '  ' : '';
    return `${depth}${row.dataset['alarmId'] ?? ''}`;
  });
}

function row(id: string): HTMLElement {
  const found = screen.getAllByTestId('alarm-row').find((element) => element.dataset['alarmId'] === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
}

function byId(alarms: Alarm[], id: string): Alarm {
  const found = alarms.find((a) => a.id === id);
  if (!found) throw new Error(`no alarm ${id}`);
  return found;
}

function changed(alarms: Alarm[], all: Alarm[], overrides: Partial<AlarmsChanged> = {}): AlarmsChanged {
  return { revision: 101, alarms, counts: countAlarms(all), escalations: {}, ...overrides };
}

/**
 * Emits an alarm change that follows another closely: live-sync applies it with the changes of its
 * interval (ALARMS_APPLY_INTERVAL_MS), so the test waits that long.
 */
async function emitAfterInterval(emit: () => void): Promise<void> {
  await emitAndSettle(emit);
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ALARMS_APPLY_INTERVAL_MS + 20));
  });
}

let alarms: Alarm[];
let transport: FakeTransport;

function setup(options: { role?: 'viewer' | 'operator'; handlers?: FakeHandlers } = {}) {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(fixtureSession([options.role ?? 'operator'])),
    'overview.get': () => ok(fixtureOverview()),
    ...alarmHandlers(alarms),
    ...options.handlers,
  });
  return renderWithProviders(
    <Live>
      <AlarmsView />
    </Live>,
    { transport },
  );
}

beforeEach(() => {
  alarms = fixtureAlarms();
});
afterEach(() => {
  cleanup();
});

describe('the alarm list', () => {
  it('lists the open alarms worst first, newest first within a severity, a zone-wide problem folded', async () => {
    setup();
    await screen.findAllByTestId('alarm-row');
    expect(rowIds()).toEqual(['al-web-b', 'al-power-a', 'al-pdu-b1', 'al-link-a', 'al-reboot-w', 'al-odd']);
    expect(row('al-web-b').dataset['severity']).toBe('critical');
    expect(shownText(row('al-web-b'))).toContain('Critical');
    expect(shownText(row('al-web-b'))).toContain('Web portal B');
    expect(shownText(row('al-web-b'))).toContain('Zone B');
    expect(shownText(row('al-web-b'))).toContain('Web platform (team)');
    expect(shownText(row('al-power-a'))).toContain('Power failure in Zone A');
    expect(shownText(row('al-power-a'))).toContain('2 grouped');
    expect(row('al-power-a').getAttribute('aria-expanded')).toBe('false');
  });

  it('says every cause in words, and an unknown cause code as itself', async () => {
    setup();
    await screen.findAllByTestId('alarm-row');
    const cause = (id: string) => shownText(within(row(id)).getByTestId('alarm-cause'));
    expect(cause('al-pdu-b1')).toBe('Phase load: Phase load at 14.2 (limit 14)');
    expect(cause('al-link-a')).toBe('Link down (Gi1/0/3)');
    expect(cause('al-reboot-w')).toBe('Rebooted (uptime went back)');
    expect(cause('al-odd')).toBe('mysteryCode');
  });

  it('shows state, snooze time left, age, escalation and markers, ticking with the clock', async () => {
    const { clock } = setup();
    await screen.findAllByTestId('alarm-row');
    expect(shownText(within(row('al-pdu-b1')).getByTestId('alarm-state'))).toBe('Snoozed 12:05 left');
    expect(shownText(within(row('al-web-b')).getByTestId('alarm-escalation'))).toBe(
      'Step 2/3, next in 01:30',
    );
    expect(shownText(row('al-web-b'))).toContain('2 min ago');
    expect(row('al-reboot-w').dataset['state']).toBe('resolved');
    expect(shownText(row('al-reboot-w'))).toContain('Resolved');
    expect(within(row('al-link-a')).getByTestId('marker-flapping').textContent).toContain('Flapping');
    expect(within(row('al-odd')).getByTestId('marker-maintenance').textContent).toContain('Maintenance');

    act(() => clock.advance(60_000));
    expect(shownText(within(row('al-web-b')).getByTestId('alarm-escalation'))).toBe(
      'Step 2/3, next in 00:30',
    );
    expect(shownText(within(row('al-pdu-b1')).getByTestId('alarm-state'))).toBe('Snoozed 11:05 left');
    expect(shownText(row('al-web-b'))).toContain('3 min ago');
  });

  it('counts open and outstanding alarms per severity in the header strip', async () => {
    setup();
    await screen.findAllByTestId('alarm-row');
    const count = (severity: string) => {
      const item = screen.getByTestId(`alarm-count-${severity}`);
      return [item.dataset['outstanding'], item.dataset['open']];
    };
    expect(count('critical')).toEqual(['2', '2']);
    expect(count('major')).toEqual(['1', '2']);
    expect(count('minor')).toEqual(['1', '2']);
    expect(count('warning')).toEqual(['0', '1']);
    expect(count('info')).toEqual(['1', '1']);
    expect(shownText(screen.getByTestId('alarm-count-critical')).trim()).toBe(
      'Critical2 Outstanding · 2 Open',
    );
  });
});

describe('live updates', () => {
  it('applies a newer alarm, ignores an older revision, drops closed alarms and takes the event counts', async () => {
    setup();
    await screen.findAllByTestId('alarm-row');
    const web = byId(alarms, 'al-web-b');
    const acked: Alarm = {
      ...web,
      state: 'acknowledged',
      ack: { by: 'bob', at: FIXTURE_NOW, comment: 'Restarting', mode: 'normal', until: null },
      revision: 5,
    };
    const after = alarms.map((a) => (a.id === web.id ? acked : a));
    await emitAndSettle(() =>
      transport.emit('alarms.changed', changed([acked], after, { escalations: { 'al-web-b': null } })),
    );
    expect(row('al-web-b').dataset['state']).toBe('acknowledged');
    expect(screen.getByTestId('alarm-count-critical').dataset['outstanding']).toBe('1');
    expect(shownText(within(row('al-web-b')).getByTestId('alarm-escalation'))).toBe('None');
    // Acknowledged sorts after the outstanding critical alarm.
    expect(rowIds().slice(0, 2)).toEqual(['al-power-a', 'al-web-b']);

    // A late event with an older copy of the alarm changes nothing.
    await emitAfterInterval(() =>
      transport.emit('alarms.changed', changed([{ ...web, revision: 4 }], alarms, { revision: 100 })),
    );
    expect(row('al-web-b').dataset['state']).toBe('acknowledged');
    expect(screen.getByTestId('alarm-count-critical').dataset['outstanding']).toBe('1');

    const odd = byId(alarms, 'al-odd');
    const closed: Alarm = { ...odd, state: 'closed', closedAt: FIXTURE_NOW, revision: 2 };
    const raised: Alarm = {
      ...byId(alarms, 'al-link-a'),
      id: 'al-new',
      severity: 'critical',
      raisedAt: FIXTURE_NOW,
      lastRaisedAt: FIXTURE_NOW,
    };
    await emitAfterInterval(() =>
      transport.emit(
        'alarms.changed',
        changed([closed, raised], [...after.filter((a) => a.id !== 'al-odd'), raised], { revision: 102 }),
      ),
    );
    expect(rowIds()).not.toContain('al-odd');
    expect(rowIds()[0]).toBe('al-new');
    expect(screen.getByTestId('alarm-count-critical').dataset['outstanding']).toBe('2');
    expect(screen.getByTestId('alarm-count-info').dataset['open']).toBe('0');
  });
});

describe('keyboard and actions', () => {
  it('moves with j/k and acknowledges with a: the dialog requires a comment and offers sticky', async () => {
    const user = userEvent.setup();
    setup({
      handlers: {
        'alarms.acknowledge': (request) =>
          ok({
            ...byId(alarms, request.id),
            state: 'acknowledged',
            ack: { by: 'operator', at: FIXTURE_NOW, comment: request.comment, mode: 'sticky', until: null },
            revision: 9,
          }),
      },
    });
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('j');
    expect(document.activeElement).toBe(row('al-power-a'));
    await user.keyboard('j');
    await user.keyboard('k');
    expect(document.activeElement).toBe(row('al-power-a'));
    expect(row('al-power-a').getAttribute('aria-selected')).toBe('true');

    await user.keyboard('a');
    const dialog = screen.getByRole('dialog', { name: 'Acknowledge: Zone A' });
    expect(document.activeElement).toBe(within(dialog).getByTestId('alarm-comment'));
    expect(within(dialog).getByTestId<HTMLTextAreaElement>('alarm-comment').value).toBe('');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(within(dialog).getByTestId('comment-required').textContent).toContain('A comment is required');
    expect(transport.callsTo('alarms.acknowledge')).toHaveLength(0);

    await user.type(within(dialog).getByTestId('alarm-comment'), 'Generator starting');
    await user.click(within(dialog).getByTestId('ack-sticky'));
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(transport.callsTo('alarms.acknowledge')).toEqual([
      { id: 'al-power-a', comment: 'Generator starting', mode: 'sticky' },
    ]);
    await screen.findByText('Acknowledged', { selector: '[data-alarm-id="al-power-a"] .alarm-state__name' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows an engine CONFLICT in the dialog and keeps it open', async () => {
    const user = userEvent.setup();
    setup({
      handlers: {
        'alarms.acknowledge': () =>
          failure('CONFLICT', 'alarm al-web-b is resolved: it cannot be acknowledged'),
      },
    });
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('a');
    const dialog = screen.getByRole('dialog', { name: 'Acknowledge: Web portal B' });
    await user.type(within(dialog).getByTestId('alarm-comment'), 'Looking');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    const error = await within(dialog).findByTestId('alarm-action-error');
    expect(error.dataset['code']).toBe('CONFLICT');
    expect(shownText(error)).toContain('The state changed in the meantime');
    expect(shownText(error)).toContain('corr-test-1');
    expect(screen.getByRole('dialog')).toBe(dialog);
  });

  it('snoozes for a custom number of minutes, and refuses a duration out of range', async () => {
    const user = userEvent.setup();
    setup({
      handlers: {
        'alarms.snooze': (request) => ok({ ...byId(alarms, request.id), state: 'snoozed', revision: 3 }),
      },
    });
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('s');
    const dialog = screen.getByRole('dialog', { name: 'Snooze: Web portal B' });
    await user.type(within(dialog).getByTestId('alarm-comment'), 'Vendor called');
    await user.click(within(dialog).getByTestId('snooze-custom'));
    await user.type(within(dialog).getByTestId('snooze-minutes'), '0');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(shownText(dialog)).toContain('Give a whole number of minutes from 1 to 10080.');
    await user.clear(within(dialog).getByTestId('snooze-minutes'));
    await user.type(within(dialog).getByTestId('snooze-minutes'), '90');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(transport.callsTo('alarms.snooze')).toEqual([
      { id: 'al-web-b', comment: 'Vendor called', minutes: 90 },
    ]);
  });

  it('says why an action does not apply to the alarm’s state instead of opening a dialog', async () => {
    const user = userEvent.setup();
    setup();
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('u');
    expect(screen.getByTestId('alarms-notice').textContent).toBe(
      'Not possible on an alarm that is outstanding.',
    );
    await user.keyboard('c');
    expect(screen.getByTestId('alarms-notice').textContent).toBe(
      'Only a resolved alarm can be closed: resolve it first.',
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>('action-close').disabled).toBe(true);
  });

  it('unfolds a zone-wide problem with → and folds it with ←, from a child back to its parent', async () => {
    const user = userEvent.setup();
    setup();
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('j{ArrowRight}');
    expect(rowIds().slice(0, 4)).toEqual(['al-web-b', 'al-power-a', '  al-ups-a1', '  al-sensor-a1']);
    expect(row('al-power-a').getAttribute('aria-expanded')).toBe('true');
    expect(row('al-ups-a1').getAttribute('aria-level')).toBe('2');
    await user.keyboard('j');
    expect(document.activeElement).toBe(row('al-ups-a1'));
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(row('al-power-a'));
    await user.keyboard('{ArrowLeft}');
    expect(rowIds()).not.toContain('  al-ups-a1');
    await user.click(within(row('al-power-a')).getByTestId('alarm-toggle'));
    expect(rowIds()).toContain('  al-sensor-a1');
  });

  it('filters by text with / (Esc clears), by severity, state and zone', async () => {
    const user = userEvent.setup();
    setup();
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('/');
    const box = screen.getByTestId('alarm-filter');
    expect(document.activeElement).toBe(box);
    await user.keyboard('portal');
    expect(rowIds()).toEqual(['al-web-b']);
    expect(screen.getByText('1 of 8 alarms shown')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect((box as HTMLInputElement).value).toBe('');
    expect(rowIds()).toHaveLength(6);

    await user.selectOptions(screen.getByTestId('alarm-filter-severity'), 'major');
    expect(rowIds()).toEqual(['al-power-a', '  al-ups-a1', 'al-pdu-b1']);
    await user.selectOptions(screen.getByTestId('alarm-filter-state'), 'snoozed');
    expect(rowIds()).toEqual(['al-pdu-b1']);
    await user.selectOptions(screen.getByTestId('alarm-filter-severity'), '*all');
    await user.selectOptions(screen.getByTestId('alarm-filter-state'), '*all');
    await user.selectOptions(screen.getByTestId('alarm-filter-zone'), 'witness');
    expect(rowIds()).toEqual(['al-reboot-w']);
    await user.selectOptions(screen.getByTestId('alarm-filter-zone'), '*none');
    expect(rowIds()).toEqual(['al-odd']);
  });

  it('offers an operator the acknowledge action', async () => {
    setup({ role: 'operator' });
    await screen.findAllByTestId('alarm-row');
    expect(screen.getByTestId('action-acknowledge')).toBeTruthy();
    expect(screen.queryByTestId('alarms-viewer-reason')).toBeNull();
  });

  it('does not offer a viewer the actions, says why, and its shortcut opens no dialog', async () => {
    const user = userEvent.setup();
    setup({ role: 'viewer' });
    await screen.findAllByTestId('alarm-row');
    const reason = await screen.findByTestId('alarms-viewer-reason');
    expect(reason.textContent).toBe(
      'Acting on alarms needs the role Operator or On call, which you do not hold.',
    );
    expect(screen.queryByTestId('action-acknowledge')).toBeNull();
    expect(screen.queryByTestId('action-escalate')).toBeNull();
    await user.keyboard('ja');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('alarms-notice').textContent).toBe(reason.textContent);
  });

  it('tells a seat viewing without a session to sign in first', async () => {
    setup({ handlers: { 'session.status': () => ok(fixtureSession(null)) } });
    await screen.findAllByTestId('alarm-row');
    expect((await screen.findByTestId('alarms-viewer-reason')).textContent).toContain('Sign in first.');
    expect(screen.queryByTestId('action-acknowledge')).toBeNull();
  });
});

describe('the detail pane', () => {
  it('opens with Enter, shows identity, acknowledgement and history, and is asked again when the alarm changes', async () => {
    const user = userEvent.setup();
    setup();
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('j{ArrowRight}jj{Enter}');
    const pane = await screen.findByTestId('alarm-detail');
    expect(pane.dataset['detailId']).toBe('al-sensor-a1');
    await within(pane).findByTestId('alarm-history');
    expect(shownText(within(pane).getByTestId('detail-subject'))).toContain('Cold aisle A1');
    expect(shownText(within(pane).getByTestId('detail-ack'))).toContain('alice');
    expect(shownText(within(pane).getByTestId('detail-ack'))).toContain('Cooling restarting');
    expect(shownText(within(pane).getByTestId('detail-ack'))).toContain(
      'Normal: taken back if the alarm gets worse',
    );
    const entries = within(pane).getAllByTestId('history-entry');
    expect(entries.map((entry) => entry.dataset['action'])).toEqual(['acknowledged', 'raised']);
    expect(shownText(entries[0]!)).toContain('alice');
    expect(shownText(entries[1]!)).toContain('Vigie');
    expect(shownText(within(pane).getByTestId('detail-related'))).toContain('Zone A');

    const calls = transport.callsTo('alarms.get').length;
    const sensor = byId(alarms, 'al-sensor-a1');
    await emitAndSettle(() =>
      transport.emit('alarms.changed', changed([{ ...sensor, revision: 7 }], alarms)),
    );
    expect(transport.callsTo('alarms.get').length).toBeGreaterThan(calls);

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('alarm-detail')).toBeNull();
  });

  it('changes the severity and assigns from the detail pane, each through its dialog', async () => {
    const user = userEvent.setup();
    setup({
      handlers: {
        'alarms.setSeverity': (request) =>
          ok({ ...byId(alarms, request.id), severity: request.severity, revision: 4 }),
        'alarms.assign': (request) =>
          ok({ ...byId(alarms, request.id), assignee: request.assignee ?? null, revision: 5 }),
      },
    });
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('{Enter}');
    const pane = await screen.findByTestId('alarm-detail');
    await user.click(within(pane).getByTestId('detail-setSeverity'));
    let dialog = screen.getByRole('dialog', { name: 'Change the severity: Web portal B' });
    await user.selectOptions(within(dialog).getByTestId('severity-choice'), 'major');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(within(dialog).getByTestId('comment-required')).toBeTruthy();
    await user.type(within(dialog).getByTestId('alarm-comment'), 'Only the status page is affected');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(transport.callsTo('alarms.setSeverity')).toEqual([
      { id: 'al-web-b', severity: 'major', comment: 'Only the status page is affected' },
    ]);

    await user.click(within(await screen.findByTestId('alarm-detail')).getByTestId('detail-assign'));
    dialog = screen.getByRole('dialog', { name: 'Assign: Web portal B' });
    expect(shownText(dialog)).toContain('On call now: Bob Peeters');
    await user.selectOptions(within(dialog).getByTestId('assignee-choice'), 'person:alice');
    await user.click(within(dialog).getByTestId('alarm-submit'));
    expect(transport.callsTo('alarms.assign')).toEqual([
      { id: 'al-web-b', assignee: { kind: 'person', id: 'alice' }, comment: '' },
    ]);
  });
});

describe('a long list', () => {
  const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'] as const;

  function manyAlarms(count: number): Alarm[] {
    return Array.from({ length: count }, (_, i) => {
      const severity = SEVERITIES[i % SEVERITIES.length] ?? 'major';
      return alarm({
        id: `al-${String(i).padStart(5, '0')}`,
        severity,
        sourceSeverity: severity,
        raisedAt: FIXTURE_NOW - (i + 1) * 1_000,
      });
    });
  }

  function selectedRow(): HTMLElement {
    const found = screen.getAllByTestId('alarm-row').find((r) => r.getAttribute('aria-selected') === 'true');
    if (!found) throw new Error('no selected row rendered');
    return found;
  }

  it('renders only a window of 10,000 alarms, and j/k past it scroll and keep the selection', async () => {
    const user = userEvent.setup();
    alarms = manyAlarms(10_000);
    setup();
    await screen.findAllByTestId('alarm-row');
    const grid = screen.getByRole('treegrid');
    expect(grid.getAttribute('aria-rowcount')).toBe('10001');
    const shown = rowIds().length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(100);
    expect(selectedRow().getAttribute('aria-rowindex')).toBe('2');

    // Down past the rows first rendered: the window follows the selection, which keeps focus.
    await user.keyboard('j'.repeat(shown + 20));
    const far = selectedRow();
    expect(far.getAttribute('aria-rowindex')).toBe(String(shown + 22));
    expect(document.activeElement).toBe(far);
    expect(rowIds().length).toBeLessThan(100);
    expect(screen.getAllByTestId('alarm-row').some((r) => r.getAttribute('aria-rowindex') === '2')).toBe(
      false,
    );

    // And back up: k moves one row at a time, Home goes to the top.
    await user.keyboard('k');
    expect(selectedRow().getAttribute('aria-rowindex')).toBe(String(shown + 21));
    expect(document.activeElement).toBe(selectedRow());
    await user.keyboard('{Home}');
    expect(selectedRow().getAttribute('aria-rowindex')).toBe('2');
    expect(document.activeElement).toBe(selectedRow());

    // End reaches the last alarm, and Enter opens it.
    await user.keyboard('{End}');
    expect(selectedRow().getAttribute('aria-rowindex')).toBe('10001');
    const last = selectedRow().dataset['alarmId'];
    await user.keyboard('{Enter}');
    expect((await screen.findByTestId('alarm-detail')).dataset['detailId']).toBe(last);
  });
});
