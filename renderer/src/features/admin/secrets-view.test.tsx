import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretSummary, SecretsListResponse } from '../../../../shared/api';
import { createFakeTransport, failure, ok } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureSession } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { SecretsView } from './secrets-view';

const SNMP_PATH = 'inventory.devices[dc1-ups-1].snmp.communitySecret';
const SSH_PATH = 'inventory.devices[a-core-sw].ssh.privateKeySecret';
const KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
  'QyNTUxOQAAACDxq9Zk3vTopSecretMaterialXyZ',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

/** A vault as the engine keeps it; `unavailable` as the engine says when it has no key. */
function engine(options: { unavailable?: string; refuseSet?: boolean } = {}) {
  const secrets = new Map<string, SecretSummary>([
    [
      'ups-community',
      { name: 'ups-community', configured: true, updatedAt: FIXTURE_NOW - 3_600_000, usedBy: [SNMP_PATH] },
    ],
    ['core-switch-key', { name: 'core-switch-key', configured: false, updatedAt: null, usedBy: [SSH_PATH] }],
    ['old-token', { name: 'old-token', configured: true, updatedAt: FIXTURE_NOW - 86_400_000, usedBy: [] }],
  ]);
  const list = (): SecretsListResponse =>
    options.unavailable === undefined
      ? { secrets: [...secrets.values()], unavailable: null }
      : {
          secrets: [...secrets.values()]
            .filter((s) => s.usedBy.length > 0)
            .map((s) => ({ ...s, configured: false, updatedAt: null })),
          unavailable: options.unavailable,
        };
  const transport = createFakeTransport({
    'session.status': () => ok(fixtureSession(['admin'])),
    'secrets.list': () => ok(list()),
    'secrets.set': (req) => {
      if (options.refuseSet) return failure('INTERNAL', 'the vault could not be written');
      const held = secrets.get(req.name);
      secrets.set(req.name, {
        name: req.name,
        configured: true,
        updatedAt: FIXTURE_NOW,
        usedBy: held?.usedBy ?? [],
      });
      return ok({ name: req.name, updatedAt: FIXTURE_NOW, replaced: held?.configured ?? false });
    },
    'secrets.delete': (req) => {
      const held = secrets.get(req.name);
      if (held && held.usedBy.length > 0)
        secrets.set(req.name, { ...held, configured: false, updatedAt: null });
      else secrets.delete(req.name);
      return ok({ name: req.name, stillUsedBy: held?.usedBy ?? [] });
    },
  });
  return { transport, secrets };
}

afterEach(cleanup);

const rowOf = (name: string): HTMLElement => {
  const row = screen.getAllByTestId('secret-row').find((r) => r.getAttribute('data-secret-name') === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
};

/** Nothing of the key anywhere in the page: no text, no attribute, no field value. */
function expectKeyGone(): void {
  const fieldValues = [...document.querySelectorAll('input, textarea')].map(
    (el) => (el as HTMLInputElement | HTMLTextAreaElement).value,
  );
  for (const line of KEY.split('\n')) {
    expect(document.body.innerHTML).not.toContain(line);
    expect(fieldValues.some((v) => v.includes(line))).toBe(false);
  }
}

describe('SecretsView', () => {
  it('lists each name with NOT SET or configured, when it was set and what uses it', async () => {
    const { transport } = engine();
    renderWithProviders(<SecretsView />, { transport });
    await screen.findByTestId('secrets-table');
    expect(screen.getAllByTestId('secret-row').map((r) => r.getAttribute('data-secret-name'))).toEqual([
      'core-switch-key',
      'old-token',
      'ups-community',
    ]);
    expect(within(rowOf('core-switch-key')).getByTestId('secret-state').textContent).toContain('NOT SET');
    expect(within(rowOf('core-switch-key')).getByTestId('secret-used-by').textContent).toBe(SSH_PATH);
    expect(within(rowOf('core-switch-key')).getByText('Never')).toBeTruthy();
    expect(within(rowOf('ups-community')).getByTestId('secret-state').textContent).toContain('Configured');
    expect(within(rowOf('ups-community')).getByTestId('secret-used-by').textContent).toBe(SNMP_PATH);
    expect(within(rowOf('old-token')).getByTestId('secret-used-by').textContent).toBe(
      'Not used by the configuration',
    );
    // Nothing to delete where nothing is stored.
    expect(within(rowOf('core-switch-key')).queryByTestId('secret-delete-open')).toBeNull();
    expect(screen.queryByTestId('secrets-unavailable')).toBeNull();
  });

  it('sends a multi-line value once and leaves nothing of it in the page', async () => {
    const { transport } = engine();
    const { queryClient } = renderWithProviders(<SecretsView />, { transport });
    await screen.findByTestId('secrets-table');
    await userEvent.click(within(rowOf('core-switch-key')).getByTestId('secret-set-open'));
    const field = screen.getByTestId<HTMLTextAreaElement>('secret-value');
    expect(field.tagName).toBe('TEXTAREA');
    await userEvent.click(field);
    await userEvent.paste(KEY);
    // Only the size is shown, so the administrator sees the paste arrived.
    expect(screen.getByTestId('secret-size').textContent).toBe(`4 lines, ${KEY.length} bytes`);
    await userEvent.type(screen.getByTestId('secret-comment'), 'new switch key');
    await userEvent.click(screen.getByTestId('secret-set-submit'));

    await waitFor(() => expect(screen.queryByTestId('secret-set')).toBeNull());
    expect(transport.callsTo('secrets.set')).toEqual([
      { name: 'core-switch-key', value: KEY, comment: 'new switch key' },
    ]);
    expect(screen.getByTestId('secrets-notice').textContent).toBe('The value of core-switch-key is stored.');
    await waitFor(() =>
      expect(within(rowOf('core-switch-key')).getByTestId('secret-state').textContent).toContain(
        'Configured',
      ),
    );
    expectKeyGone();
    // Nor in the query client's memory: the mutation was given the name, never the value.
    const held = JSON.stringify(
      queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state),
    );
    expect(held).toContain('core-switch-key');
    expect(held).not.toContain('OPENSSH');
  });

  it('clears the value from the form even when the engine refuses it', async () => {
    const { transport } = engine({ refuseSet: true });
    renderWithProviders(<SecretsView />, { transport });
    await screen.findByTestId('secrets-table');
    await userEvent.click(within(rowOf('core-switch-key')).getByTestId('secret-set-open'));
    await userEvent.click(screen.getByTestId('secret-value'));
    await userEvent.paste(KEY);
    await userEvent.click(screen.getByTestId('secret-set-submit'));

    expect(await screen.findByText('The value was not stored.', { exact: false })).toBeTruthy();
    expect(screen.getByTestId('secret-value-error').textContent).toContain('paste it again');
    expect(screen.getByTestId<HTMLTextAreaElement>('secret-value').value).toBe('');
    expect(transport.callsTo('secrets.set')).toHaveLength(1);
    expectKeyGone();
  });

  it('checks a new name and that a value was given before sending', async () => {
    const { transport } = engine();
    renderWithProviders(<SecretsView />, { transport });
    await screen.findByTestId('secrets-table');
    await userEvent.keyboard('n');
    await userEvent.type(screen.getByTestId('secret-name'), 'Bad Name');
    await userEvent.click(screen.getByTestId('secret-set-submit'));
    expect(screen.getByTestId('secret-name-error')).toBeTruthy();
    expect(screen.getByTestId('secret-value-error').textContent).toContain('Paste a value.');
    expect(transport.callsTo('secrets.set')).toEqual([]);
  });

  it('asks before deleting, listing what still uses the secret', async () => {
    const { transport } = engine();
    renderWithProviders(<SecretsView />, { transport });
    await screen.findByTestId('secrets-table');
    await userEvent.click(within(rowOf('ups-community')).getByTestId('secret-delete-open'));
    const dialog = screen.getByTestId('secret-delete');
    expect(within(dialog).getByTestId('secret-delete-used').textContent).toContain(SNMP_PATH);
    expect(transport.callsTo('secrets.delete')).toEqual([]);
    await userEvent.click(screen.getByTestId('secret-delete-submit'));
    await waitFor(() => expect(screen.queryByTestId('secret-delete')).toBeNull());
    expect(transport.callsTo('secrets.delete')).toEqual([{ name: 'ups-community' }]);
    expect(screen.getByTestId('secrets-notice').textContent).toContain('1 references still name it');
    await waitFor(() =>
      expect(within(rowOf('ups-community')).getByTestId('secret-state').textContent).toContain('NOT SET'),
    );
  });

  it('says prominently why the vault cannot be used, and offers no change', async () => {
    const { transport } = engine({ unavailable: 'no key for the vault /var/lib/vigie/vault.json' });
    renderWithProviders(<SecretsView />, { transport });
    const banner = await screen.findByTestId('secrets-unavailable');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('The secret vault cannot be used.');
    expect(within(banner).getByTestId('secrets-unavailable-reason').textContent).toContain(
      'no key for the vault /var/lib/vigie/vault.json',
    );
    // The banner comes before the table.
    const table = screen.getByTestId('secrets-table');
    expect(banner.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>('secrets-new').disabled).toBe(true);
    for (const button of screen.getAllByTestId<HTMLButtonElement>('secret-set-open'))
      expect(button.disabled).toBe(true);
    await userEvent.keyboard('n');
    expect(screen.queryByTestId('secret-set')).toBeNull();
  });

  it('is refused, without reading the vault, to a person without secrets.manage', async () => {
    const transport = createFakeTransport({ 'session.status': () => ok(fixtureSession(['oncall'])) });
    renderWithProviders(<SecretsView />, { transport });
    const denied = await screen.findByTestId('secrets-denied');
    expect(denied.textContent).toContain('Managing secrets needs the role Administrator');
    expect(transport.callsTo('secrets.list')).toEqual([]);
  });
});
