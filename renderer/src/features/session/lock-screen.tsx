/**
 * A locked seat: only the person's name and the unlock form. Nothing of the console is rendered
 * behind it (not merely covered), so no alarm, name or value can be read off a locked screen.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../shared/api';
import { apiErrorOf } from '../../lib/api/bridge-error';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useSignOut, useUnlock } from '../../lib/session/session-mutations';
import { authFailureText } from './auth-message';

export function LockScreen({ session }: { session: SessionInfo }) {
  const { t } = useI18n();
  const unlock = useUnlock();
  const signOut = useSignOut();
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [totpNeeded, setTotpNeeded] = useState(false);
  const headingId = useId();
  const passwordId = useId();
  const totpId = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (totpNeeded ? totpRef : passwordRef).current?.focus();
  }, [totpNeeded]);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (unlock.isPending) return;
    const code = totp.trim();
    unlock.mutate(
      { password, ...(totpNeeded && code !== '' ? { totp: code } : {}) },
      {
        onError: (err) => {
          const why = apiErrorOf(err)?.reason;
          if (why === 'TOTP_REQUIRED' || why === 'BAD_TOTP') setTotpNeeded(true);
          else setPassword('');
          setTotp('');
        },
      },
    );
  }

  const name = session.person?.displayName || session.person?.id || '';
  return (
    <main
      className="session-screen session-screen--locked"
      data-testid="lock-screen"
      aria-labelledby={headingId}
    >
      <div className="session-screen__panel">
        <h1 className="sign-in__title" id={headingId}>
          {t('lock.title')}
        </h1>
        <p className="lock__person" data-testid="lock-person">
          {t('lock.intro', { name })}
        </p>
        <form className="sign-in__form" onSubmit={submit} noValidate>
          <label className="sign-in__field" htmlFor={passwordId}>
            {t('lock.password')}
          </label>
          <input
            id={passwordId}
            ref={passwordRef}
            className="sign-in__input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="unlock-password"
          />
          {totpNeeded && (
            <>
              <label className="sign-in__field" htmlFor={totpId}>
                {t('signIn.totp')}
              </label>
              <input
                id={totpId}
                ref={totpRef}
                className="sign-in__input sign-in__input--code"
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={6}
                value={totp}
                onChange={(event) => setTotp(event.target.value.replace(/\D/g, ''))}
                data-testid="unlock-totp"
              />
            </>
          )}
          {unlock.isError && (
            <p className="sign-in__error" role="alert" data-testid="unlock-error">
              {authFailureText(t, unlock.error, t('lock.failed'))}
            </p>
          )}
          <button
            type="submit"
            className="button sign-in__submit"
            disabled={unlock.isPending || password === ''}
            data-testid="unlock-submit"
          >
            {unlock.isPending ? t('lock.working') : t('lock.unlock')}
          </button>
        </form>
        <button
          type="button"
          className="button button--small lock__sign-out"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
          data-testid="lock-sign-out"
        >
          {t('lock.signOut')}
        </button>
        {signOut.isError && (
          <p className="sign-in__error" role="alert">
            {authFailureText(t, signOut.error, t('session.signOutFailed'))}
          </p>
        )}
      </div>
    </main>
  );
}
