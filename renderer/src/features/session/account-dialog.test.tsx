import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError, PersonSummary, SessionInfo } from '../../../../shared/api';
import { createFakeTransport, failure, ok, refusal } from '../../lib/testing/fake-transport';
import { fixtureSession } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { groupSecret } from './account-dialog';
import { SessionControls } from './session-controls';

const CURRENT = 'old-passphrase-1';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';
const URI = `otpauth://totp/Vigie:alice?secret=${SECRET}&issuer=Vigie&algorithm=SHA1&digits=6&period=30`;
const GOOD_CODE = '492039';

function sessionOf(source: PersonSummary['source']): SessionInfo {
  const base = fixtureSession(['operator']);
  if (base.person === null) throw new Error('the fixture session has a person');
  return { ...base, person: { ...base.person, source } };
}

const weak = (message: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code: 'VALIDATION', message, correlationId: 'corr-val', issues: [{ path: 'next', message }] },
});

/** An engine that checks the current password and the policy, and holds one TOTP enrolment. */
function engine(source: PersonSummary['source'] = 'local') {
  const session = sessionOf(source);
  let password = CURRENT;
  let pending: string | null = null;
  let enrolled: string | null = null;
  const transport = createFakeTransport({
    'session.status': () => ok(session),
    'session.changePassword': (req) => {
      if (req.current !== password) return refusal('BAD_CREDENTIALS', 'wrong password');
      if ([...req.next].length < 12)
        return weak(`a password has at least 12 characters (this one has ${[...req.next].length})`);
      password = req.next;
      return ok(session);
    },
    'session.totpBegin': () => {
      pending = SECRET;
      return ok({ uri: URI, secret: SECRET });
    },
    'session.totpConfirm': (req) => {
      if (pending === null) return failure('CONFLICT', 'no TOTP enrolment is waiting for a code');
      if (req.code !== GOOD_CODE) return refusal('BAD_TOTP', 'the code is wrong or expired');
      enrolled = pending;
      pending = null;
      return ok(session);
    },
  });
  return {
    transport,
    password: () => password,
    enrolled: () => enrolled,
    /** The enrolment ends without this seat (timed out, or replaced from another seat). */
    forget: () => {
      pending = null;
    },
  };
}

async function openAccount(source: PersonSummary['source'] = 'local') {
  const fake = engine(source);
  const user = userEvent.setup();
  const view = renderWithProviders(<SessionControls onSignIn={() => undefined} />, {
    transport: fake.transport,
  });
  await user.click(await screen.findByTestId('session-account'));
  const dialog = await screen.findByTestId('account-dialog');
  return { ...fake, ...view, user, dialog };
}

const field = (testId: string) => screen.getByTestId<HTMLInputElement>(testId);

afterEach(cleanup);

describe('My account', () => {
  it('opens with Shift+A from the header, and Escape closes it', async () => {
    const user = userEvent.setup();
    renderWithProviders(<SessionControls onSignIn={() => undefined} />, { transport: engine().transport });
    expect((await screen.findByTestId('session-account')).getAttribute('aria-keyshortcuts')).toBe('Shift+A');
    await user.keyboard('a');
    expect(screen.queryByTestId('account-dialog')).toBeNull();
    await user.keyboard('{Shift>}A{/Shift}');
    const dialog = await screen.findByTestId('account-dialog');
    expect(within(dialog).getByTestId('account-who').textContent).toContain('Alice Martin (login alice)');
    expect(document.activeElement).toBe(field('account-current'));
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('account-dialog')).toBeNull();
  });

  it('shows a wrong current password beside that field, with the fields emptied and no password kept', async () => {
    const { user, transport, queryClient } = await openAccount();
    await user.type(field('account-current'), 'not-my-password');
    await user.type(field('account-next'), 'a brand new passphrase');
    await user.type(field('account-repeat'), 'a brand new passphrase');
    await user.click(screen.getByTestId('account-password-submit'));

    expect((await screen.findByTestId('account-current-error')).textContent).toContain(
      'This is not your current password.',
    );
    expect(screen.queryByTestId('account-next-error')).toBeNull();
    expect(screen.queryByTestId('account-password-done')).toBeNull();
    expect(screen.getByTestId('account-password-cleared')).toBeTruthy();
    expect(transport.callsTo('session.changePassword')).toEqual([
      { current: 'not-my-password', next: 'a brand new passphrase' },
    ]);
    for (const id of ['account-current', 'account-next', 'account-repeat']) expect(field(id).value).toBe('');
    // Neither password stays in TanStack's mutation cache (variables or otherwise).
    const held = JSON.stringify(
      queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state),
    );
    expect(held).not.toContain('not-my-password');
    expect(held).not.toContain('a brand new passphrase');
  });

  it('shows a weak new password on the new-password field, with the engine’s reason', async () => {
    const { user, password } = await openAccount();
    await user.type(field('account-current'), CURRENT);
    await user.type(field('account-next'), 'short');
    await user.type(field('account-repeat'), 'short');
    await user.click(screen.getByTestId('account-password-submit'));

    const error = await screen.findByTestId('account-next-error');
    expect(error.textContent).toContain('Vigie refuses this new password');
    expect(error.textContent).toContain('at least 12 characters (this one has 5)');
    expect(field('account-next').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('account-current-error')).toBeNull();
    expect(screen.queryByTestId('account-password-error')).toBeNull();
    expect(password()).toBe(CURRENT);
  });

  it('catches two different new passwords before sending anything', async () => {
    const { user, transport } = await openAccount();
    await user.type(field('account-current'), CURRENT);
    await user.type(field('account-next'), 'a brand new passphrase');
    await user.type(field('account-repeat'), 'a brand new passfrase');
    await user.click(screen.getByTestId('account-password-submit'));

    expect((await screen.findByTestId('account-repeat-error')).textContent).toContain(
      'The two new passwords differ. Nothing was sent.',
    );
    expect(transport.callsTo('session.changePassword')).toEqual([]);
    expect(document.activeElement).toBe(field('account-repeat'));
    // Nothing was sent, so nothing was emptied: the person corrects the repeat only.
    expect(field('account-current').value).toBe(CURRENT);
  });

  it('changes the password and says so', async () => {
    const { user, password } = await openAccount();
    await user.type(field('account-current'), CURRENT);
    await user.type(field('account-next'), 'a brand new passphrase');
    await user.type(field('account-repeat'), 'a brand new passphrase');
    await user.click(screen.getByTestId('account-password-submit'));

    expect((await screen.findByTestId('account-password-done')).textContent).toContain(
      'Your password is changed.',
    );
    expect(password()).toBe('a brand new passphrase');
    for (const id of ['account-current', 'account-next', 'account-repeat']) expect(field(id).value).toBe('');
    expect(screen.queryByTestId('account-password-cleared')).toBeNull();
  });

  it('sets up two-step sign-in: shows the key in fours and the link, refuses a wrong code, confirms a right one', async () => {
    const { user, transport, enrolled } = await openAccount();
    await user.click(screen.getByTestId('account-totp-start'));

    expect((await screen.findByTestId('account-totp-secret')).textContent).toContain(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP',
    );
    expect(field('account-totp-uri').value).toBe(URI);
    const confirm = screen.getByTestId('account-totp-confirm');
    expect((confirm as HTMLButtonElement).disabled).toBe(true);

    await user.type(field('account-totp-code'), '11 1111');
    expect(field('account-totp-code').value).toBe('111111');
    await user.click(confirm);
    expect((await screen.findByTestId('account-totp-code-error')).textContent).toContain('Wrong code.');
    expect(field('account-totp-code').value).toBe('');
    expect(enrolled()).toBeNull();

    await user.type(field('account-totp-code'), GOOD_CODE);
    await user.click(screen.getByTestId('account-totp-confirm'));
    expect((await screen.findByTestId('account-totp-done')).textContent).toContain(
      'From now on, signing in and unlocking ask for a code',
    );
    expect(transport.callsTo('session.totpConfirm')).toEqual([{ code: '111111' }, { code: GOOD_CODE }]);
    expect(enrolled()).toBe(SECRET);
    // The key is not left on screen once it is in the app.
    expect(screen.queryByTestId('account-totp-secret')).toBeNull();
  });

  it('says to start again when the engine holds no enrolment any more', async () => {
    const { user, forget, enrolled } = await openAccount();
    await user.click(screen.getByTestId('account-totp-start'));
    await screen.findByTestId('account-totp-secret');
    forget();
    await user.type(field('account-totp-code'), GOOD_CODE);
    await user.click(screen.getByTestId('account-totp-confirm'));

    expect((await screen.findByTestId('account-totp-expired')).textContent).toContain('Start again.');
    expect(screen.queryByTestId('account-totp-secret')).toBeNull();
    expect(screen.queryByTestId('account-totp-done')).toBeNull();
    expect(enrolled()).toBeNull();
    await user.click(screen.getByTestId('account-totp-start'));
    expect(await screen.findByTestId('account-totp-secret')).toBeTruthy();
    expect(screen.queryByTestId('account-totp-expired')).toBeNull();
  });

  it('tells a single sign-on person that the provider manages these, with no password form', async () => {
    const { dialog, transport } = await openAccount('oidc');
    expect(within(dialog).getByTestId('account-oidc').textContent).toContain('managed there, not in Vigie');
    expect(within(dialog).queryByTestId('account-password-form')).toBeNull();
    expect(within(dialog).queryByTestId('account-totp-start')).toBeNull();
    expect(dialog.querySelector('input[type="password"]')).toBeNull();
    expect(transport.callsTo('session.totpBegin')).toEqual([]);
  });

  it('offers no account to the command line’s machine session', async () => {
    const user = userEvent.setup();
    renderWithProviders(<SessionControls onSignIn={() => undefined} />, {
      transport: engine('machine').transport,
    });
    expect(await screen.findByTestId('session-sign-out')).toBeTruthy();
    expect(screen.queryByTestId('session-account')).toBeNull();
    await user.keyboard('{Shift>}A{/Shift}');
    expect(screen.queryByTestId('account-dialog')).toBeNull();
  });
});

describe('groupSecret', () => {
  it('cuts a base32 key in fours, the last group shorter', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(groupSecret(' ABCD EFGH ')).toBe('ABCD EFGH');
    expect(groupSecret('')).toBe('');
  });
});
