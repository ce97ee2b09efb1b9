import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionInfo } from '../../../shared/api';
import { RESUME_TOKEN_STORAGE_KEY } from '../lib/bridge/resume-token';
import { createManualClock } from '../lib/clock/clock';
import {
  createFakeTransport,
  ok,
  OPEN_STATE,
  refusal,
  type FakeHandlers,
  type FakeTransport,
} from '../lib/testing/fake-transport';
import {
  FIXTURE_NOW,
  fixtureAppInfo,
  fixtureOverview,
  fixtureScenarios,
  fixtureSession,
} from '../lib/testing/fixtures';
import { metricHandlers } from '../lib/testing/metric-fixtures';
import { createTestQueryClient } from '../lib/testing/render';
import { installResizeObserver } from '../lib/testing/resize-observer';
import { App } from './app';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../lib/testing/fake-chart')).FakeChart,
}));

const CLOSED_ANONYMOUS = fixtureSession(null, { anonymousViewing: false });

/** What the fake engine says `session.status` is; tests change it as the engine would. */
let session: SessionInfo;
let transport: FakeTransport;

function renderApp(handlers: FakeHandlers = {}) {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'session.status': () => ok(session),
    'overview.get': () => ok(fixtureOverview()),
    'estate.scenarios': () => ok(fixtureScenarios()),
    ...metricHandlers(),
    ...handlers,
  });
  render(
    <App
      transport={transport}
      clock={createManualClock(FIXTURE_NOW)}
      queryClient={createTestQueryClient()}
    />,
  );
  return transport;
}

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  installResizeObserver(800);
});
afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe('signing in', () => {
  it('shows only the sign-in form when nobody is signed in and anonymous viewing is off', async () => {
    session = CLOSED_ANONYMOUS;
    renderApp();
    const form = await screen.findByTestId('sign-in');
    expect(within(form).getByRole('heading', { name: 'Sign in to Vigie' })).toBeTruthy();
    expect(screen.queryByTestId('tile-ups-a1')).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(transport.callsTo('overview.get')).toHaveLength(0);
    expect(screen.queryByTestId('sign-in-sso')).toBeNull();
  });

  it('says the password was wrong, then asks for the TOTP code, then opens the console', async () => {
    const user = userEvent.setup();
    session = CLOSED_ANONYMOUS;
    const attempts: unknown[] = [];
    renderApp({
      'session.signIn': (request) => {
        attempts.push(request);
        if (request.method !== 'password' || request.password !== 'right')
          return refusal('BAD_CREDENTIALS', 'wrong login or password');
        if (request.totp === undefined) return refusal('TOTP_REQUIRED', 'a TOTP code is required');
        if (request.totp !== '123456') return refusal('BAD_TOTP', 'wrong code');
        session = fixtureSession(['operator'], { anonymousViewing: false });
        return ok({ session, resumeToken: 'resume-abc' });
      },
    });
    await user.type(await screen.findByTestId('sign-in-login'), 'alice');
    await user.type(screen.getByTestId('sign-in-password'), 'wrong');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(text(await screen.findByTestId('sign-in-error'))).toBe('Wrong login or password.');
    expect(screen.queryByTestId('sign-in-totp')).toBeNull();
    // The refused password is cleared; the login stays.
    expect(screen.getByTestId<HTMLInputElement>('sign-in-password').value).toBe('');

    await user.type(screen.getByTestId('sign-in-password'), 'right');
    await user.click(screen.getByTestId('sign-in-submit'));
    const totp = await screen.findByTestId('sign-in-totp');
    expect(text(screen.getByTestId('sign-in-error'))).toBe(
      'Enter the six-digit code from your authenticator app.',
    );
    expect(document.activeElement).toBe(totp);

    await user.type(totp, '654321');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(text(await screen.findByText(/Wrong code/))).toContain('works only once');

    await user.type(screen.getByTestId('sign-in-totp'), '123456');
    await user.click(screen.getByTestId('sign-in-submit'));
    await screen.findByTestId('tile-ups-a1');
    expect(attempts.at(-1)).toEqual({
      method: 'password',
      login: 'alice',
      password: 'right',
      totp: '123456',
    });
    expect(sessionStorage.getItem(RESUME_TOKEN_STORAGE_KEY)).toBe('resume-abc');
    expect(text(screen.getByTestId('person'))).toBe('alice');
    expect(text(screen.getByTestId('role'))).toBe('Roles: Operator');
  });

  it('translates the refusal (French) and offers single sign-on when the engine has it', async () => {
    const user = userEvent.setup();
    session = fixtureSession(null, { anonymousViewing: false, methods: { password: true, oidc: true } });
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    renderApp({
      'app.info': () => ok(fixtureAppInfo({ locale: 'fr' })),
      'session.signIn': () => refusal('LOCKED_OUT'),
      'session.oidcStart': () => ok({ flowId: 'flow-1', url: 'https://idp.example/authorize?x=1' }),
      // The person has not come back from the provider yet.
      'session.oidcFinish': () => new Promise(() => undefined),
    });
    await user.type(await screen.findByLabelText('Identifiant'), 'alice');
    await user.type(screen.getByLabelText('Mot de passe'), 'secret');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(text(await screen.findByTestId('sign-in-error'))).toContain('ce compte est bloqué');

    await user.click(screen.getByRole('button', { name: 'Se connecter par authentification unique' }));
    await screen.findByTestId('sign-in-sso-waiting');
    expect(open).toHaveBeenCalledWith('https://idp.example/authorize?x=1', '_blank', 'noopener,noreferrer');
    expect(screen.getByTestId<HTMLAnchorElement>('sign-in-sso-link').href).toBe(
      'https://idp.example/authorize?x=1',
    );
    expect(transport.callsTo('session.oidcFinish')).toEqual([{ flowId: 'flow-1' }]);
    open.mockRestore();
  });

  it('offers a seat viewing without a session a Sign in button and Shift+S, as a dialog over the console', async () => {
    const user = userEvent.setup();
    session = fixtureSession(null);
    renderApp({
      'session.signIn': () => {
        session = fixtureSession(['viewer'], { login: 'victor' });
        return ok({ session, resumeToken: 'resume-v' });
      },
    });
    await screen.findByTestId('tile-ups-a1');
    expect(text(screen.getByTestId('role'))).toBe('Not signed in');
    await user.keyboard('{Shift>}S{/Shift}');
    const dialog = await screen.findByRole('dialog', { name: 'Sign in to Vigie' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.click(screen.getByTestId('session-sign-in'));
    await user.type(
      within(await screen.findByTestId('sign-in-dialog')).getByTestId('sign-in-login'),
      'victor',
    );
    await user.type(screen.getByTestId('sign-in-password'), 'pw');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(text(await screen.findByTestId('person'))).toBe('victor');
    expect(dialog.isConnected).toBe(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(text(screen.getByTestId('role'))).toBe('Roles: Viewer');
  });
});

describe('locking', () => {
  it('covers everything when the seat is locked, and unlocks with the password', async () => {
    const user = userEvent.setup();
    session = fixtureSession(['operator']);
    const unlocks: unknown[] = [];
    renderApp({
      'session.lock': () => {
        session = { ...session, state: 'locked', capabilities: [] };
        return ok(session);
      },
      'session.unlock': (request) => {
        unlocks.push(request);
        if (request.password !== 'pw') return refusal('BAD_CREDENTIALS');
        session = fixtureSession(['operator']);
        return ok(session);
      },
    });
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('{Shift>}L{/Shift}');

    const lock = await screen.findByTestId('lock-screen');
    expect(text(within(lock).getByTestId('lock-person'))).toContain('Alice Martin');
    // Nothing of the console is rendered behind the lock screen.
    expect(screen.queryByTestId('tile-ups-a1')).toBeNull();
    expect(screen.queryByTestId('count-down')).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();

    await user.type(screen.getByTestId('unlock-password'), 'nope');
    await user.click(screen.getByTestId('unlock-submit'));
    expect(text(await screen.findByTestId('unlock-error'))).toBe('Wrong login or password.');
    expect(screen.getByTestId('lock-screen')).toBeTruthy();

    await user.type(screen.getByTestId('unlock-password'), 'pw');
    await user.click(screen.getByTestId('unlock-submit'));
    await screen.findByTestId('tile-ups-a1');
    expect(screen.queryByTestId('lock-screen')).toBeNull();
    expect(unlocks).toEqual([{ password: 'nope' }, { password: 'pw' }]);
  });

  it('shows the lock screen for a seat locked elsewhere (the status poll says so)', async () => {
    session = { ...fixtureSession(['operator']), state: 'locked', capabilities: [] };
    renderApp();
    await screen.findByTestId('lock-screen');
    expect(screen.queryByTestId('tile-ups-a1')).toBeNull();
    expect(transport.callsTo('overview.get')).toHaveLength(0);
  });

  it('lists the lock shortcut in the keyboard help', async () => {
    const user = userEvent.setup();
    session = fixtureSession(['operator']);
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(text(help)).toContain('Shift+LLock the seat now');
    expect(text(help)).toContain('Shift+SSign in');
  });
});

describe('an ended session', () => {
  it('shows the sign-in form saying the session expired when the engine no longer knows it', async () => {
    session = fixtureSession(['operator'], { anonymousViewing: false });
    sessionStorage.setItem(RESUME_TOKEN_STORAGE_KEY, 'resume-old');
    renderApp();
    await screen.findByTestId('tile-ups-a1');

    // The session expired while the link was down: on reconnect the engine says anonymous.
    session = CLOSED_ANONYMOUS;
    act(() =>
      transport.setState({ kind: 'closed', reason: 'lost', retryAt: FIXTURE_NOW + 1_000, code: 1006 }),
    );
    act(() => transport.setState(OPEN_STATE));

    expect(text(await screen.findByTestId('sign-in-expired'))).toContain('Your session has ended');
    expect(screen.queryByTestId('tile-ups-a1')).toBeNull();
    expect(sessionStorage.getItem(RESUME_TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('asks the engine again when a request answers SESSION_EXPIRED, and opens the form over a viewable console', async () => {
    const user = userEvent.setup();
    session = fixtureSession(['operator']);
    renderApp({
      'estate.runScenario': () => {
        session = fixtureSession(null);
        return refusal('SESSION_EXPIRED', 'the session has ended; sign in again');
      },
    });
    await screen.findByTestId('tile-ups-a1');
    const before = transport.callsTo('session.status').length;
    await user.click(await screen.findByTestId('scenario-restore'));

    const dialog = await screen.findByRole('dialog', { name: 'Sign in to Vigie' });
    expect(text(within(dialog).getByTestId('sign-in-expired'))).toContain('Your session has ended');
    expect(transport.callsTo('session.status').length).toBeGreaterThan(before);
    expect(text(screen.getByTestId('role'))).toBe('Not signed in');
  });

  it('does not call a sign-out of its own an expiry', async () => {
    const user = userEvent.setup();
    session = fixtureSession(['operator'], { anonymousViewing: false });
    sessionStorage.setItem(RESUME_TOKEN_STORAGE_KEY, 'resume-1');
    renderApp({
      'session.signOut': () => {
        session = CLOSED_ANONYMOUS;
        return ok(session);
      },
    });
    await screen.findByTestId('tile-ups-a1');
    await user.click(screen.getByTestId('session-sign-out'));
    await screen.findByTestId('sign-in');
    expect(screen.queryByTestId('sign-in-expired')).toBeNull();
    expect(sessionStorage.getItem(RESUME_TOKEN_STORAGE_KEY)).toBeNull();
  });
});

describe('what a person may see', () => {
  it('hides equipment, explorer and dashboards from a person without view.infrastructure, chords included', async () => {
    const user = userEvent.setup();
    // An operator scoped to one client: shared infrastructure is withheld (capabilitiesOf).
    session = fixtureSession(['operator'], { clients: ['client-a'] });
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    const nav = screen.getByRole('navigation', { name: 'Views' });
    expect(within(nav).queryByTestId('view-equipment')).toBeNull();
    expect(within(nav).queryByTestId('view-explorer')).toBeNull();
    expect(within(nav).queryByTestId('view-dashboards')).toBeNull();
    expect(within(nav).getByTestId('view-overview')).toBeTruthy();
    expect(within(nav).getByTestId('view-alarms')).toBeTruthy();

    await user.keyboard('gq');
    await user.keyboard('ge');
    expect(screen.getByTestId('view-overview').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('tile-ups-a1')).toBeTruthy();
  });

  it('shows them to a person with every client', async () => {
    session = fixtureSession(['viewer']);
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    for (const view of ['equipment', 'explorer', 'dashboards'])
      expect(screen.getByTestId(`view-${view}`)).toBeTruthy();
  });

  it('falls back to the overview when the stored view is one the person may not see', async () => {
    sessionStorage.setItem('vigie.view', 'equipment');
    session = fixtureSession(['publisher']);
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    expect(screen.queryByTestId('view-equipment')).toBeNull();
  });
});
