import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope, MaintenanceEntry } from '../../../../shared/api';
import type { MaintenanceWindow } from '../../../../shared/domain/maintenance-window';
import type { Locale } from '../../../../shared/i18n';
import type { MaintenanceSaveRequest } from '../../lib/api/maintenance-queries';
import { alarmHandlers } from '../../lib/testing/alarm-fixtures';
import {
  createFakeTransport,
  ok,
  type FakeHandlers,
  type FakeTransport,
} from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureOverview, fixtureSession } from '../../lib/testing/fixtures';
import { emitAndSettle, Live, shownText } from '../../lib/testing/live';
import {
  fixtureMaintenanceWindows,
  maintenanceEntry,
  maintenanceHandlers,
  maintenanceList,
  maintenanceWindow,
} from '../../lib/testing/maintenance-fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { AlarmsView } from './alarms-view';

let transport: FakeTransport;

/** The fake engine's answer to a save: the window as it would store it. */
function saved(request: MaintenanceSaveRequest, id = 'mw-new'): Envelope<MaintenanceEntry> {
  return ok(
    maintenanceEntry(
      maintenanceWindow({
        id: request.id ?? id,
        title: request.title,
        reason: request.reason ?? '',
        scope: {
          devices: request.scope.devices ?? [],
          services: request.scope.services ?? [],
          zones: request.scope.zones ?? [],
          tags: request.scope.tags ?? [],
        },
        schedule: request.schedule,
        createdBy: 'day-seat',
        createdAt: FIXTURE_NOW,
      }),
    ),
  );
}

function setup(handlers: FakeHandlers = {}, role: 'operator' | 'viewer' = 'operator', locale: Locale = 'en') {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(fixtureSession([role])),
    'overview.get': () => ok(fixtureOverview()),
    ...alarmHandlers(),
    ...maintenanceHandlers(),
    'maintenance.save': (request) => saved(request),
    ...handlers,
  });
  return renderWithProviders(
    <Live>
      <AlarmsView />
    </Live>,
    { transport, locale },
  );
}

type User = ReturnType<typeof userEvent.setup>;

async function openMaintenance(user: User): Promise<HTMLElement> {
  await screen.findAllByTestId('alarm-row');
  await user.keyboard('m');
  const panel = await screen.findByTestId('maintenance');
  await within(panel).findAllByTestId('maintenance-window');
  return panel;
}

function windowItem(id: string): HTMLElement {
  const item = screen
    .getAllByTestId('maintenance-window')
    .find((element) => element.dataset['windowId'] === id);
  if (!item) throw new Error(`no window ${id}`);
  return item;
}

async function openForm(user: User): Promise<HTMLElement> {
  await user.keyboard('n');
  return screen.findByTestId('maintenance-form');
}

async function fillCommon(user: User, form: HTMLElement, title: string, reason: string): Promise<void> {
  await user.type(within(form).getByTestId('maintenance-title'), title);
  await user.type(within(form).getByTestId('maintenance-reason'), reason);
}

afterEach(cleanup);

describe('the maintenance windows', () => {
  it('lists every window, active first, with its scope by name, its schedule in words and where it stands', async () => {
    const user = userEvent.setup();
    setup();
    const panel = await openMaintenance(user);
    const items = within(panel).getAllByTestId('maintenance-window');
    expect(items.map((item) => item.dataset['windowId'])).toEqual([
      'mw-ups-b1',
      'mw-db-patch',
      'mw-old-cabling',
    ]);
    expect(items.map((item) => item.dataset['timing'])).toEqual(['active', 'next', 'over']);
    expect(shownText(within(panel).getByTestId('maintenance-summary'))).toBe('1 active now, 3 planned');

    const ups = windowItem('mw-ups-b1');
    expect(shownText(within(ups).getByTestId('maintenance-timing'))).toContain('Active now until 15:00');
    expect(shownText(within(ups).getByTestId('maintenance-schedule'))).toBe(
      'Once, 23 Nov 2026, 14:00–15:00 (CET)',
    );
    expect(shownText(within(ups).getByTestId('maintenance-scope'))).toBe('Devices: UPS B1');
    expect(shownText(within(ups).getByTestId('maintenance-reason-text'))).toBe(
      'Reason: Batteries past end of life (ticket FAC-118)',
    );

    const db = windowItem('mw-db-patch');
    expect(shownText(within(db).getByTestId('maintenance-schedule'))).toBe(
      'Every Tuesday and Thursday 02:00–04:00 (Europe/Brussels), from 1 Nov 2026',
    );
    expect(shownText(within(db).getByTestId('maintenance-timing'))).toBe('Next: 24 Nov 2026, 02:00–04:00');
    const scope = within(db)
      .getAllByRole('listitem')
      .map((li) => shownText(li));
    expect(scope).toEqual(['Services: Web portal B', 'Tags: role:db']);

    const old = windowItem('mw-old-cabling');
    expect(shownText(within(old).getByTestId('maintenance-timing'))).toBe('Over: no further occurrence');
    expect(shownText(within(old).getByTestId('maintenance-scope'))).toBe('Zones: Zone A');
    expect(shownText(within(old).getByTestId('maintenance-reason-text'))).toBe('No reason given.');

    // Esc goes back to the alarms; the toolbar button opens the panel again.
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('maintenance')).toBeNull();
    await user.click(screen.getByTestId('open-maintenance'));
    expect(await screen.findByTestId('maintenance')).toBeTruthy();
  });

  it('follows the clock: an occurrence that ends is over, the next one becomes active when it starts', async () => {
    const user = userEvent.setup();
    const { clock } = setup();
    await openMaintenance(user);
    act(() => clock.set(Date.UTC(2026, 10, 23, 14, 0, 1)));
    expect(windowItem('mw-ups-b1').dataset['timing']).toBe('over');
    // Tuesday 24 November, 02:30 in Brussels: the database patching runs until 04:00.
    act(() => clock.set(Date.UTC(2026, 10, 24, 1, 30)));
    const db = windowItem('mw-db-patch');
    expect(db.dataset['timing']).toBe('active');
    expect(shownText(within(db).getByTestId('maintenance-timing'))).toContain('Active now until 04:00');
    // Once it is over, the console works out the next one itself (Thursday), as the engine would.
    act(() => clock.set(Date.UTC(2026, 10, 24, 3, 30)));
    expect(shownText(within(windowItem('mw-db-patch')).getByTestId('maintenance-timing'))).toBe(
      'Next: 26 Nov 2026, 02:00–04:00',
    );
  });

  it('plans a one-off window for a zone, the times read in the operator’s zone, saved with Enter', async () => {
    const user = userEvent.setup();
    setup();
    await openMaintenance(user);
    const form = await openForm(user);
    // The form starts on the title, with this minute to an hour later.
    expect(document.activeElement).toBe(within(form).getByTestId('maintenance-title'));
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-from').value).toBe('2026-11-23T14:10');
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-to').value).toBe('2026-11-23T15:10');
    await fillCommon(user, form, 'Zone B power work', 'Switchboard B inspection');
    await user.click(within(form).getByTestId('maintenance-zones-b'));
    // Across midnight, in winter time (UTC+1).
    fireEvent.change(within(form).getByTestId('maintenance-from'), { target: { value: '2026-11-24T22:00' } });
    fireEvent.change(within(form).getByTestId('maintenance-to'), { target: { value: '2026-11-25T01:30' } });
    // Intl sets the dash of a range across days between thin spaces.
    expect(shownText(within(form).getByTestId('maintenance-preview')).replace(/\u2009/g, ' ')).toBe(
      'In words: Once, 24 Nov 2026, 22:00 – 25 Nov 2026, 01:30 (CET)',
    );
    await user.click(within(form).getByTestId('maintenance-title'));
    await user.keyboard('{Enter}');

    expect(transport.callsTo('maintenance.save')).toEqual([
      {
        title: 'Zone B power work',
        reason: 'Switchboard B inspection',
        scope: { zones: ['b'], devices: [], services: [], tags: [] },
        schedule: { kind: 'once', from: Date.UTC(2026, 10, 24, 21, 0), to: Date.UTC(2026, 10, 25, 0, 30) },
      },
    ]);
    expect(screen.queryByTestId('maintenance-form')).toBeNull();
    expect(shownText(screen.getByTestId('maintenance-notice'))).toBe('“Zone B power work” saved.');
    const item = windowItem('mw-new');
    expect(item.dataset['timing']).toBe('next');
    expect(shownText(within(item).getByTestId('maintenance-scope'))).toBe('Zones: Zone B');
  });

  it('plans a recurring window: weekdays, start, duration, dates, zone and tags', async () => {
    const user = userEvent.setup();
    setup();
    await openMaintenance(user);
    const form = await openForm(user);
    await fillCommon(user, form, 'Database patching B', 'Vendor patches');
    await user.click(within(form).getByTestId('maintenance-services-web-b'));
    await user.type(within(form).getByTestId('maintenance-tags'), 'role:db, rack/b-01');
    await user.click(within(form).getByTestId('maintenance-kind-recurring'));
    // Weekly on today's weekday (Monday) unless told otherwise.
    expect(within(form).getByTestId<HTMLSelectElement>('maintenance-freq').value).toBe('weekly');
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-weekday-1').checked).toBe(true);
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-time-zone').value).toBe('Europe/Brussels');
    await user.click(within(form).getByTestId('maintenance-weekday-1'));
    await user.click(within(form).getByTestId('maintenance-weekday-2'));
    await user.click(within(form).getByTestId('maintenance-weekday-4'));
    fireEvent.change(within(form).getByTestId('maintenance-start-time'), { target: { value: '23:00' } });
    await user.clear(within(form).getByTestId('maintenance-duration'));
    await user.type(within(form).getByTestId('maintenance-duration'), '180');
    fireEvent.change(within(form).getByTestId('maintenance-first-date'), { target: { value: '2026-12-01' } });
    fireEvent.change(within(form).getByTestId('maintenance-last-date'), { target: { value: '2027-03-31' } });
    expect(shownText(within(form).getByTestId('maintenance-preview'))).toBe(
      'In words: Every Tuesday and Thursday 23:00–02:00 the next day (Europe/Brussels), from 1 Dec 2026 to 31 Mar 2027',
    );
    // Enter saves from a tick box too.
    within(form).getByTestId('maintenance-weekday-4').focus();
    await user.keyboard('{Enter}');

    expect(transport.callsTo('maintenance.save')).toEqual([
      {
        title: 'Database patching B',
        reason: 'Vendor patches',
        scope: { zones: [], devices: [], services: ['web-b'], tags: ['role:db', 'rack/b-01'] },
        schedule: {
          kind: 'recurring',
          timeZone: 'Europe/Brussels',
          freq: 'weekly',
          weekdays: [2, 4],
          startTime: '23:00',
          durationMinutes: 180,
          firstDate: '2026-12-01',
          lastDate: '2027-03-31',
        },
      },
    ]);
    expect(screen.queryByTestId('maintenance-form')).toBeNull();
    expect(windowItem('mw-new').dataset['timing']).toBe('next');
  });

  it('plans a monthly window in another zone, and says which months it skips', async () => {
    const user = userEvent.setup();
    setup();
    await openMaintenance(user);
    const form = await openForm(user);
    await fillCommon(user, form, 'Witness site checks', 'Quarterly contract');
    await user.click(within(form).getByTestId('maintenance-zones-witness'));
    await user.click(within(form).getByTestId('maintenance-kind-recurring'));
    await user.selectOptions(within(form).getByTestId('maintenance-freq'), 'monthly');
    await user.clear(within(form).getByTestId('maintenance-day-of-month'));
    await user.type(within(form).getByTestId('maintenance-day-of-month'), '31');
    await user.clear(within(form).getByTestId('maintenance-time-zone'));
    await user.type(within(form).getByTestId('maintenance-time-zone'), 'America/New_York');
    await user.clear(within(form).getByTestId('maintenance-duration'));
    await user.type(within(form).getByTestId('maintenance-duration'), '2880');
    expect(shownText(within(form).getByTestId('maintenance-preview'))).toBe(
      'In words: Every month on day 31, from 02:00 for 2 days (America/New_York) (months without a day 31 are skipped), from 23 Nov 2026',
    );
    await user.click(within(form).getByTestId('maintenance-submit'));
    expect(transport.callsTo('maintenance.save')).toEqual([
      expect.objectContaining({
        schedule: {
          kind: 'recurring',
          timeZone: 'America/New_York',
          freq: 'monthly',
          dayOfMonth: 31,
          startTime: '02:00',
          durationMinutes: 2880,
          firstDate: '2026-11-23',
        },
      }),
    ]);
  });

  it('says at each field what is missing or wrong before anything is sent, and Esc cancels', async () => {
    const user = userEvent.setup();
    setup();
    await openMaintenance(user);
    const form = await openForm(user);
    await user.click(within(form).getByTestId('maintenance-submit'));
    const errors = within(form)
      .getAllByTestId('maintenance-field-error')
      .map((e) => shownText(e));
    expect(errors).toEqual([
      'A title is required.',
      'A reason is required.',
      'Choose at least one zone, device, service or tag.',
    ]);
    expect(within(form).getByTestId('maintenance-title').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(within(form).getByTestId('maintenance-title'));
    expect(transport.callsTo('maintenance.save')).toEqual([]);

    await fillCommon(user, form, 'Tags', 'Why');
    await user.type(within(form).getByTestId('maintenance-tags'), 'role:db Rack_A');
    fireEvent.change(within(form).getByTestId('maintenance-to'), { target: { value: '2026-11-23T13:00' } });
    await user.click(within(form).getByTestId('maintenance-submit'));
    expect(
      within(form)
        .getAllByTestId('maintenance-field-error')
        .map((e) => shownText(e)),
    ).toEqual(['Not a valid tag: Rack_A', 'The end must come after the start.']);
    expect(transport.callsTo('maintenance.save')).toEqual([]);

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('maintenance-form')).toBeNull();
    expect(screen.getByTestId('maintenance')).toBeTruthy();
  });

  it('shows what the engine refuses at the top and at the fields, and stays open', async () => {
    const user = userEvent.setup();
    setup({
      'maintenance.save': () => ({
        ok: false,
        error: {
          code: 'VALIDATION',
          message: 'invalid request for "maintenance.save"',
          correlationId: 'corr-mw-1',
          issues: [
            { path: 'schedule.durationMinutes', message: 'Too big: expected number to be <=10080' },
            { path: 'scope.zones.0', message: 'must be lower-case letters, digits and dashes (at most 63)' },
          ],
        },
      }),
    });
    await openMaintenance(user);
    const form = await openForm(user);
    await fillCommon(user, form, 'Refused', 'Because');
    await user.click(within(form).getByTestId('maintenance-zones-a'));
    await user.click(within(form).getByTestId('maintenance-submit'));

    const notice = await within(form).findByTestId('maintenance-save-error');
    expect(notice.dataset['code']).toBe('VALIDATION');
    expect(shownText(notice)).toContain('schedule.durationMinutes');
    expect(shownText(notice)).toContain('corr-mw-1');
    const zones = within(form).getByTestId('maintenance-zones');
    expect(shownText(within(zones).getByTestId('maintenance-field-error'))).toBe(
      'Refused by the engine: must be lower-case letters, digits and dashes (at most 63)',
    );
    expect(screen.getByTestId('maintenance-form')).toBeTruthy();
  });

  it('edits a window: the form holds it, and the save names it', async () => {
    const user = userEvent.setup();
    setup();
    await openMaintenance(user);
    await user.click(within(windowItem('mw-db-patch')).getByTestId('maintenance-edit'));
    const form = await screen.findByTestId('maintenance-form');
    expect(within(form).getByRole('heading').textContent).toBe('Edit “Database patching”');
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-weekday-2').checked).toBe(true);
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-weekday-4').checked).toBe(true);
    expect(within(form).getByTestId<HTMLInputElement>('maintenance-tags').value).toBe('role:db');
    const title = within(form).getByTestId('maintenance-title');
    await user.clear(title);
    await user.type(title, 'Database patching (all zones){Enter}');
    expect(transport.callsTo('maintenance.save')).toEqual([
      {
        id: 'mw-db-patch',
        title: 'Database patching (all zones)',
        reason: 'Monthly security patches, rolling',
        scope: { zones: [], devices: [], services: ['web-b'], tags: ['role:db'] },
        schedule: fixtureMaintenanceWindows()[0]!.schedule,
      },
    ]);
    expect(within(windowItem('mw-db-patch')).getByRole('heading').textContent).toBe(
      'Database patching (all zones)',
    );
  });

  it('deletes a window only with a reason', async () => {
    const user = userEvent.setup();
    setup({ 'maintenance.delete': ({ id }) => ok({ id }) });
    await openMaintenance(user);
    await user.click(within(windowItem('mw-old-cabling')).getByTestId('maintenance-delete'));
    const dialog = await screen.findByTestId('maintenance-delete-dialog');
    await user.click(within(dialog).getByTestId('maintenance-delete-submit'));
    expect(within(dialog).getByTestId('maintenance-delete-required')).toBeTruthy();
    expect(transport.callsTo('maintenance.delete')).toEqual([]);
    await user.type(within(dialog).getByTestId('maintenance-delete-reason'), 'Finished last week');
    await user.click(within(dialog).getByTestId('maintenance-delete-submit'));
    expect(transport.callsTo('maintenance.delete')).toEqual([
      { id: 'mw-old-cabling', reason: 'Finished last week' },
    ]);
    expect(screen.queryByTestId('maintenance-delete-dialog')).toBeNull();
    expect(screen.getAllByTestId('maintenance-window').map((item) => item.dataset['windowId'])).toEqual([
      'mw-ups-b1',
      'mw-db-patch',
    ]);
    expect(shownText(screen.getByTestId('maintenance-notice'))).toBe('“Cabling zone A” deleted.');
  });

  it('lets a viewer read the windows, with the actions disabled and why', async () => {
    const user = userEvent.setup();
    setup({}, 'viewer');
    const panel = await openMaintenance(user);
    const reason = await within(panel).findByTestId('maintenance-viewer-reason');
    expect(shownText(reason)).toContain('Planning and deleting maintenance windows needs the role');
    const buttons = [
      within(panel).getByTestId<HTMLButtonElement>('maintenance-new'),
      ...within(panel).getAllByTestId<HTMLButtonElement>('maintenance-edit'),
      ...within(panel).getAllByTestId<HTMLButtonElement>('maintenance-delete'),
    ];
    for (const button of buttons) {
      expect(button.disabled).toBe(true);
      expect(button.getAttribute('aria-describedby')).toBe(reason.id);
    }
    await user.keyboard('n');
    expect(screen.queryByTestId('maintenance-form')).toBeNull();
  });

  it('is live: a window planned or deleted on another seat shows at once', async () => {
    const user = userEvent.setup();
    setup();
    await openMaintenance(user);
    const [db, , ups] = fixtureMaintenanceWindows() as [
      MaintenanceWindow,
      MaintenanceWindow,
      MaintenanceWindow,
    ];
    const other = maintenanceWindow({
      id: 'mw-other-seat',
      title: 'Core switch B firmware',
      reason: 'Planned on the night seat',
      scope: { devices: [], services: [], zones: ['b'], tags: [] },
      createdBy: 'night-seat',
    });
    await emitAndSettle(() => transport.emit('maintenance.changed', maintenanceList([db, ups, other])));
    // Active first, the one ending first on top.
    expect(screen.getAllByTestId('maintenance-window').map((item) => item.dataset['windowId'])).toEqual([
      'mw-ups-b1',
      'mw-other-seat',
      'mw-db-patch',
    ]);
    expect(shownText(within(windowItem('mw-other-seat')).getByTestId('maintenance-timing'))).toContain(
      'Active now until 15:10',
    );
    await emitAndSettle(() => transport.emit('maintenance.changed', { windows: [] }));
    expect(screen.getByTestId('maintenance-none')).toBeTruthy();
  });

  it('speaks the operator’s language: schedules, weekdays, dates and lists through Intl', async () => {
    const user = userEvent.setup();
    setup({}, 'operator', 'fr');
    await openMaintenance(user);
    const db = windowItem('mw-db-patch');
    expect(shownText(within(db).getByTestId('maintenance-schedule'))).toBe(
      'Chaque mardi et jeudi 02:00–04:00 (Europe/Brussels), à partir du 1 nov. 2026',
    );
    expect(shownText(within(windowItem('mw-ups-b1')).getByTestId('maintenance-timing'))).toContain(
      'En cours jusqu’à 15:00',
    );
    cleanup();
    setup({}, 'operator', 'nl');
    await openMaintenance(user);
    expect(shownText(within(windowItem('mw-db-patch')).getByTestId('maintenance-schedule'))).toBe(
      'Elke dinsdag en donderdag 02:00–04:00 (Europe/Brussels), vanaf 1 nov 2026',
    );
    expect(shownText(within(windowItem('mw-db-patch')).getByTestId('maintenance-scope'))).toContain(
      'Diensten: Web portal B',
    );
  });
});
