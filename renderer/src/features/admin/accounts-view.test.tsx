import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Account, ApiError, Envelope, RequestIn } from '../../../../shared/api';
import { createFakeTransport, ok } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureSession } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { AccountsView } from './accounts-view';

const account = (id: string, overrides: Partial<Account> = {}): Account => ({
  id,
  displayName: id[0]?.toUpperCase() + id.slice(1),
  roles: ['operator'],
  clients: ['*'],
  source: 'local',
  disabled: false,
  hasPassword: true,
  totpEnrolled: false,
  lockedUntil: null,
  createdAt: FIXTURE_NOW - 86_400_000,
  updatedAt: FIXTURE_NOW - 86_400_000,
  ...overrides,
});

const validation = (path: string, message: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code: 'VALIDATION', message, correlationId: 'corr-val', issues: [{ path, message }] },
});

/** An engine holding accounts, applying creates and updates as the real one does (in outline). */
function engine(roles: Parameters<typeof fixtureSession>[0] = ['admin']) {
  const accounts: Account[] = [
    account('alice', { displayName: 'Alice Martin', roles: ['admin', 'operator'], totpEnrolled: true }),
    account('bob', { displayName: 'Bob Peeters', roles: ['viewer'], clients: ['bank-a', 'bank-b'] }),
    account('carol', { displayName: 'Carol Dubois', source: 'oidc', hasPassword: false, disabled: true }),
    account('dave', { displayName: 'Dave Janssens', lockedUntil: FIXTURE_NOW + 10 * 60_000 }),
  ];
  const transport = createFakeTransport({
    'session.status': () => ok(fixtureSession(roles)),
    'users.list': () => ok({ accounts: accounts.map((a) => ({ ...a })) }),
    'users.create': (req): Envelope<Account> => {
      if (req.password !== undefined && req.password.length < 12)
        return validation(
          'password',
          `a password has at least 12 characters (this one has ${req.password.length})`,
        );
      const created = account(req.id, {
        displayName: req.displayName,
        roles: req.roles,
        clients: req.clients,
        source: req.source ?? 'local',
        hasPassword: req.password !== undefined,
      });
      accounts.push(created);
      return ok(created);
    },
    'users.update': (req: RequestIn<'users.update'>) => {
      const index = accounts.findIndex((a) => a.id === req.id);
      const held = accounts[index];
      if (!held) return { ok: false, error: { code: 'NOT_FOUND', message: 'no', correlationId: 'c' } };
      const next = {
        ...held,
        ...(req.roles ? { roles: req.roles } : {}),
        ...(req.clients ? { clients: req.clients } : {}),
        ...(req.disabled === undefined ? {} : { disabled: req.disabled }),
      };
      accounts[index] = next;
      return ok(next);
    },
  });
  return { transport, accounts };
}

afterEach(cleanup);

const rowOf = (login: string): HTMLElement => {
  const row = screen.getAllByTestId('account-row').find((r) => r.getAttribute('data-account-id') === login);
  if (!row) throw new Error(`no row for ${login}`);
  return row;
};

describe('AccountsView', () => {
  it('lists the accounts with translated roles, clients, source, state, credentials and lock-out', async () => {
    const { transport } = engine();
    renderWithProviders(<AccountsView />, { transport });
    await screen.findByTestId('accounts-table');
    expect(screen.getAllByTestId('account-row').map((r) => r.getAttribute('data-account-id'))).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
    ]);
    const alice = rowOf('alice').textContent ?? '';
    expect(alice).toContain('Alice Martin');
    expect(alice).toContain('Administrator, Operator');
    expect(alice).toContain('All clients');
    expect(alice).toContain('Enrolled');
    expect(within(rowOf('alice')).getByTestId('account-remove-totp-open')).toBeTruthy();
    expect(rowOf('bob').textContent).toContain('bank-a, bank-b');
    expect(rowOf('bob').textContent).toContain('Viewer');
    expect(rowOf('carol').textContent).toContain('Single sign-on');
    expect(within(rowOf('carol')).getByTestId('account-disabled').textContent).toContain('Disabled');
    // A single sign-on account has no password to set.
    expect(within(rowOf('carol')).queryByTestId('account-password-open')).toBeNull();
    expect(within(rowOf('dave')).getByTestId('account-locked')).toBeTruthy();
    expect(within(rowOf('bob')).queryByTestId('account-locked')).toBeNull();
  });

  it('shows roles in the chosen language', async () => {
    const { transport } = engine();
    renderWithProviders(<AccountsView />, { transport, locale: 'fr' });
    await screen.findByTestId('accounts-table');
    expect(rowOf('alice').textContent).toContain('Administrateur');
    expect(rowOf('bob').textContent).toContain('Observateur');
  });

  it('shows the engine’s refusal of a weak first password beside the password field, and clears it', async () => {
    const { transport, accounts } = engine();
    renderWithProviders(<AccountsView />, { transport });
    await screen.findByTestId('accounts-table');
    await userEvent.click(screen.getByTestId('accounts-new'));
    await userEvent.type(screen.getByTestId('account-login'), 'erik');
    await userEvent.type(screen.getByTestId('account-name'), 'Erik Claes');
    await userEvent.click(screen.getByTestId('account-role-operator'));
    await userEvent.click(screen.getByTestId('account-clients-some'));
    await userEvent.type(screen.getByTestId('account-clients'), 'bank-a, bank-b');
    await userEvent.type(screen.getByTestId('account-password'), 'short');
    await userEvent.click(screen.getByTestId('account-form-submit'));

    const error = await screen.findByTestId('account-password-error');
    expect(error.textContent).toContain('a password has at least 12 characters (this one has 5)');
    // Beside its field: the field points at it and says it is invalid.
    const field = screen.getByTestId<HTMLInputElement>('account-password');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toContain(error.id);
    expect(transport.callsTo('users.create')).toEqual([
      {
        id: 'erik',
        displayName: 'Erik Claes',
        roles: ['operator'],
        clients: ['bank-a', 'bank-b'],
        source: 'local',
        password: 'short',
      },
    ]);
    // The password left the form when it was sent; the dialog stays open to try again.
    expect(field.value).toBe('');
    expect(screen.getByTestId('account-form')).toBeTruthy();
    expect(accounts.map((a) => a.id)).not.toContain('erik');

    await userEvent.type(field, 'correct horse battery');
    await userEvent.click(screen.getByTestId('account-form-submit'));
    await waitFor(() => expect(screen.queryByTestId('account-form')).toBeNull());
    expect(screen.getByTestId('accounts-notice').textContent).toBe('Account erik created.');
    expect(await screen.findByText('Erik Claes')).toBeTruthy();
  });

  it('says what is missing before asking the engine', async () => {
    const { transport } = engine();
    renderWithProviders(<AccountsView />, { transport });
    await screen.findByTestId('accounts-table');
    await userEvent.click(screen.getByTestId('accounts-new'));
    await userEvent.click(screen.getByTestId('account-form-submit'));
    expect(screen.getByTestId('account-login-error')).toBeTruthy();
    expect(screen.getByTestId('account-roles-error')).toBeTruthy();
    expect(screen.getByTestId('account-password-error')).toBeTruthy();
    expect(transport.callsTo('users.create')).toEqual([]);
  });

  it('asks before disabling, saying it signs the person out at once, then calls users.update', async () => {
    const { transport } = engine();
    renderWithProviders(<AccountsView />, { transport });
    await screen.findByTestId('accounts-table');
    await userEvent.click(within(rowOf('bob')).getByTestId('account-disable-open'));
    const dialog = screen.getByTestId('account-disable');
    expect(dialog.textContent).toContain('Disable bob?');
    expect(within(dialog).getByTestId('account-confirm-body').textContent).toMatch(/signed out at once/);
    expect(transport.callsTo('users.update')).toEqual([]);

    // Cancelling changes nothing.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('account-disable')).toBeNull();
    expect(transport.callsTo('users.update')).toEqual([]);

    await userEvent.click(within(rowOf('bob')).getByTestId('account-disable-open'));
    await userEvent.click(screen.getByTestId('account-disable-submit'));
    await waitFor(() => expect(screen.queryByTestId('account-disable')).toBeNull());
    expect(transport.callsTo('users.update')).toEqual([{ id: 'bob', disabled: true }]);
    expect(screen.getByTestId('accounts-notice').textContent).toBe('bob is disabled and signed out.');
    expect(within(rowOf('bob')).getByTestId('account-disabled')).toBeTruthy();
    expect(within(rowOf('bob')).getByTestId('account-enable-open')).toBeTruthy();
  });

  it('changes roles and clients, sending only what changed', async () => {
    const { transport } = engine();
    renderWithProviders(<AccountsView />, { transport });
    await screen.findByTestId('accounts-table');
    await userEvent.click(within(rowOf('bob')).getByTestId('account-edit'));
    expect(screen.getByTestId<HTMLInputElement>('account-role-viewer').checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('account-clients').value).toBe('bank-a, bank-b');
    await userEvent.click(screen.getByTestId('account-role-operator'));
    await userEvent.click(screen.getByTestId('account-form-submit'));
    await waitFor(() => expect(screen.queryByTestId('account-form')).toBeNull());
    expect(transport.callsTo('users.update')).toEqual([{ id: 'bob', roles: ['viewer', 'operator'] }]);
    expect(rowOf('bob').textContent).toContain('Viewer, Operator');
  });

  it('moves with j/k, edits with Enter, creates with n and filters with /', async () => {
    const { transport } = engine();
    renderWithProviders(<AccountsView />, { transport });
    await screen.findByTestId('accounts-table');
    await userEvent.keyboard('jj');
    expect(document.activeElement).toBe(rowOf('bob'));
    expect(rowOf('bob').getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('k');
    expect(document.activeElement).toBe(rowOf('alice'));
    await userEvent.keyboard('j{Enter}');
    expect(screen.getByTestId('account-form').textContent).toContain('Roles and clients of bob');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId('account-form')).toBeNull();

    await userEvent.keyboard('n');
    expect(screen.getByTestId('account-form').textContent).toContain('New account');
    await userEvent.keyboard('{Escape}');

    await userEvent.keyboard('/');
    expect(document.activeElement).toBe(screen.getByTestId('accounts-filter'));
    await userEvent.keyboard('viewer');
    expect(screen.getAllByTestId('account-row').map((r) => r.getAttribute('data-account-id'))).toEqual([
      'bob',
    ]);
  });

  it('is refused, without asking the engine, to a person without users.manage', async () => {
    const { transport } = engine(['operator']);
    renderWithProviders(<AccountsView />, { transport });
    const denied = await screen.findByTestId('accounts-denied');
    expect(denied.textContent).toContain('Administrator');
    expect(transport.callsTo('users.list')).toEqual([]);
  });
});
