/**
 * The header's part of the session: who is signed in (display name, login, roles), and the
 * actions that go with it: sign in (when viewing without a session), my account, lock now, sign
 * out.
 */
import { useEffect, useId, useState } from 'react';
import { OverlayDialog } from '../../components/overlay-dialog';
import { INTL_LOCALES } from '../../lib/i18n/formatters';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isPlainShortcut } from '../../lib/keyboard';
import { useSession, useSessionContext } from '../../lib/session/session-context';
import { useLock, useSignOut } from '../../lib/session/session-mutations';
import { AccountDialog } from './account-dialog';
import { authFailureText } from './auth-message';
import { SignInForm } from './sign-in-form';

/**
 * Shift+S signs in, Shift+L locks, Shift+A opens "My account": capitals, so no single-key
 * shortcut of a view (the alarms' `a` acknowledges) ever clashes.
 */
export const SIGN_IN_KEY = 'S';
export const LOCK_KEY = 'L';
export const ACCOUNT_KEY = 'A';

export function SessionControls({ onSignIn }: { onSignIn: () => void }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const lock = useLock();
  const signOut = useSignOut();
  const [accountOpen, setAccountOpen] = useState(false);
  // The command line's machine session has no password or second factor of its own.
  const hasAccount =
    session?.state === 'signed-in' && session.person !== null && session.person.source !== 'machine';
  // A session that ends (or locks) closes the dialog for good, not until the next sign-in.
  if (accountOpen && !hasAccount) setAccountOpen(false);

  // Held here rather than with the other header keys in app/: the dialog is this feature's own.
  useEffect(() => {
    if (!hasAccount) return;
    function onKey(event: KeyboardEvent): void {
      if (event.key !== ACCOUNT_KEY || !isPlainShortcut(event)) return;
      event.preventDefault();
      setAccountOpen(true);
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [hasAccount]);

  if (session === null) return null;

  const person = session.person;
  const roles = person?.roles ?? [];
  const roleNames =
    roles.length === 0
      ? t('session.noRole')
      : new Intl.ListFormat(INTL_LOCALES[locale], { type: 'conjunction', style: 'narrow' }).format(
          roles.map((role) => t(`role.${role}`)),
        );
  const failure = lock.isError
    ? authFailureText(t, lock.error, t('session.lockFailed'))
    : signOut.isError
      ? authFailureText(t, signOut.error, t('session.signOutFailed'))
      : null;

  return (
    <div className="session-controls" data-testid="session-controls" data-state={session.state}>
      {person === null ? (
        <>
          <span className="session-controls__who" data-testid="role" data-role="anonymous" data-roles="">
            {t('session.anonymous')}
          </span>
          {session.methods.password || session.methods.oidc ? (
            <button
              type="button"
              className="button button--small"
              onClick={onSignIn}
              aria-keyshortcuts={`Shift+${SIGN_IN_KEY}`}
              data-testid="session-sign-in"
            >
              {t('session.signIn')} <kbd>⇧{SIGN_IN_KEY}</kbd>
            </button>
          ) : null}
        </>
      ) : (
        <>
          <span className="session-controls__who">
            <span className="session-controls__name">{person.displayName || person.id}</span>{' '}
            <span className="session-controls__login" data-testid="person">
              {person.id}
            </span>
          </span>
          <span
            className="session-controls__roles"
            data-testid="role"
            data-role={roles.join(' ')}
            data-roles={roles.join(' ')}
          >
            {t('session.roles', { roles: roleNames })}
          </span>
          {hasAccount && (
            <button
              type="button"
              className="button button--small"
              onClick={() => setAccountOpen(true)}
              aria-keyshortcuts={`Shift+${ACCOUNT_KEY}`}
              aria-haspopup="dialog"
              data-testid="session-account"
            >
              {t('account.open')} <kbd>⇧{ACCOUNT_KEY}</kbd>
            </button>
          )}
          {person.source !== 'machine' && (
            <button
              type="button"
              className="button button--small"
              onClick={() => lock.mutate()}
              disabled={lock.isPending}
              aria-keyshortcuts={`Shift+${LOCK_KEY}`}
              data-testid="session-lock"
            >
              {t('session.lock')} <kbd>⇧{LOCK_KEY}</kbd>
            </button>
          )}
          <button
            type="button"
            className="button button--small"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
            data-testid="session-sign-out"
          >
            {t('session.signOut')}
          </button>
        </>
      )}
      {failure !== null && (
        <span className="session-controls__error" role="alert">
          {failure}
        </span>
      )}
      {accountOpen && <AccountDialog onClose={() => setAccountOpen(false)} />}
    </div>
  );
}

/** The sign-in form as a dialog over the console (a seat viewing without a session). */
export function SignInDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const { expired } = useSessionContext();
  const headingId = useId();
  if (session === null) return null;
  return (
    <OverlayDialog variant="centre" labelledBy={headingId} onClose={onClose} testId="sign-in-dialog">
      <div className="sign-in-dialog">
        <button
          type="button"
          className="button button--icon sign-in-dialog__close"
          onClick={onClose}
          aria-label={t('signIn.close')}
        >
          <span aria-hidden="true">✕</span>
        </button>
        <SignInForm session={session} expired={expired} headingId={headingId} onSignedIn={onClose} />
      </div>
    </OverlayDialog>
  );
}
