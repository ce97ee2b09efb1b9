/**
 * Signing in: login and password, then the six-digit TOTP code when the engine asks for it
 * (TOTP_REQUIRED), and single sign-on when the engine offers it. Refusals are shown by their
 * reason (wrong password, locked out, disabled ...), never as a bare error code.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../shared/api';
import { apiErrorOf } from '../../lib/api/bridge-error';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useOidcFinish, useOidcStart, useSignIn } from '../../lib/session/session-mutations';
import { authFailureText } from './auth-message';

export interface SignInFormProps {
  readonly session: SessionInfo;
  /** Says first that the previous session ended by itself. */
  readonly expired: boolean;
  /** Id for the form's heading, so a dialog can be named by it. */
  readonly headingId: string;
  readonly onSignedIn?: () => void;
}

/** Opens the identity provider's page; a desktop seat's bridge may refuse it (the link stays). */
function openProviderPage(url: string): void {
  try {
    window.open(url, '_blank', 'noopener,noreferrer');
  } catch (err: unknown) {
    console.warn('[vigie] could not open the single sign-on page; the link is shown instead', err);
  }
}

function SingleSignOn({ onSignedIn }: { onSignedIn: (() => void) | undefined }) {
  const { t } = useI18n();
  const start = useOidcStart();
  const finish = useOidcFinish();
  const [flow, setFlow] = useState<{ flowId: string; url: string } | null>(null);
  const cancelled = useRef(false);
  const [gaveUp, setGaveUp] = useState(false);

  function begin(): void {
    cancelled.current = false;
    setGaveUp(false);
    finish.reset();
    start.mutate(undefined, {
      onSuccess: (started) => {
        setFlow(started);
        openProviderPage(started.url);
        finish.mutate(
          { flowId: started.flowId, cancelled: () => cancelled.current },
          {
            onSuccess: () => onSignedIn?.(),
            onSettled: () => setFlow(null),
          },
        );
      },
    });
  }

  let failure: string | null = null;
  if (start.isError)
    failure =
      apiErrorOf(start.error)?.code === 'CONFLICT'
        ? t('signIn.ssoUnavailable')
        : authFailureText(t, start.error, t('signIn.ssoFailed'));
  else if (finish.isError && !gaveUp) failure = authFailureText(t, finish.error, t('signIn.ssoFailed'));

  return (
    <div className="sign-in__sso" data-testid="sign-in-sso">
      {flow === null ? (
        <button
          type="button"
          className="button"
          onClick={begin}
          disabled={start.isPending}
          data-testid="sign-in-sso-start"
        >
          {t('signIn.sso')}
        </button>
      ) : (
        <div role="status" data-testid="sign-in-sso-waiting">
          <p>{t('signIn.ssoWaiting')}</p>
          <p>
            <a href={flow.url} target="_blank" rel="noopener noreferrer" data-testid="sign-in-sso-link">
              {t('signIn.ssoLink')}
            </a>{' '}
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                cancelled.current = true;
                setGaveUp(true);
                setFlow(null);
              }}
            >
              {t('signIn.ssoCancel')}
            </button>
          </p>
        </div>
      )}
      {failure !== null && (
        <p className="sign-in__error" role="alert" data-testid="sign-in-sso-error">
          {failure}
        </p>
      )}
    </div>
  );
}

export function SignInForm({ session, expired, headingId, onSignedIn }: SignInFormProps) {
  const { t } = useI18n();
  const signIn = useSignIn();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [totpNeeded, setTotpNeeded] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  const loginId = useId();
  const passwordId = useId();
  const totpId = useId();
  const hintId = useId();

  const reason = signIn.isError ? apiErrorOf(signIn.error)?.reason : undefined;
  useEffect(() => {
    if (reason === 'TOTP_REQUIRED' || reason === 'BAD_TOTP') totpRef.current?.focus();
  }, [reason, signIn.failureCount]);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (signIn.isPending) return;
    const code = totp.trim();
    signIn.mutate(
      { login: login.trim(), password, ...(totpNeeded && code !== '' ? { totp: code } : {}) },
      {
        onSuccess: () => {
          setPassword('');
          setTotp('');
          onSignedIn?.();
        },
        onError: (err) => {
          const why = apiErrorOf(err)?.reason;
          if (why === 'TOTP_REQUIRED' || why === 'BAD_TOTP') {
            setTotpNeeded(true);
            setTotp('');
          } else if (why === 'BAD_CREDENTIALS') {
            setPassword('');
          }
        },
      },
    );
  }

  const error = signIn.isError ? authFailureText(t, signIn.error, t('signIn.failed')) : null;
  const { password: byPassword, oidc } = session.methods;

  return (
    <div className="sign-in" data-testid="sign-in">
      <h2 className="sign-in__title" id={headingId}>
        {t('signIn.title')}
      </h2>
      {expired ? (
        <p className="sign-in__expired" role="status" data-testid="sign-in-expired">
          {t('signIn.expired')}
        </p>
      ) : (
        !session.anonymousViewing && <p className="sign-in__intro">{t('signIn.intro')}</p>
      )}
      {byPassword && (
        <form className="sign-in__form" onSubmit={submit} noValidate data-testid="sign-in-form">
          <label className="sign-in__field" htmlFor={loginId}>
            {t('signIn.login')}
          </label>
          <input
            id={loginId}
            className="sign-in__input"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={login}
            onChange={(event) => setLogin(event.target.value)}
            required
            data-autofocus
            data-testid="sign-in-login"
          />
          <label className="sign-in__field" htmlFor={passwordId}>
            {t('signIn.password')}
          </label>
          <input
            id={passwordId}
            className="sign-in__input"
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
            data-testid="sign-in-password"
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
                name="one-time-code"
                autoComplete="one-time-code"
                inputMode="numeric"
                pattern="[0-9]{6}"
                maxLength={6}
                value={totp}
                onChange={(event) => setTotp(event.target.value.replace(/\D/g, ''))}
                aria-describedby={hintId}
                data-testid="sign-in-totp"
              />
              <p className="sign-in__hint" id={hintId}>
                {t('signIn.totpHint')}
              </p>
            </>
          )}
          {error !== null && (
            <p className="sign-in__error" role="alert" data-testid="sign-in-error" data-reason={reason ?? ''}>
              {error}
            </p>
          )}
          <button
            type="submit"
            className="button sign-in__submit"
            disabled={signIn.isPending || login.trim() === '' || password === ''}
            data-testid="sign-in-submit"
          >
            {signIn.isPending ? t('signIn.working') : t('signIn.submit')}
          </button>
        </form>
      )}
      {byPassword && oidc && <p className="sign-in__or">{t('signIn.or')}</p>}
      {oidc && <SingleSignOn onSignedIn={onSignedIn} />}
      {!byPassword && !oidc && <p className="sign-in__error">{t('signIn.noMethod')}</p>}
    </div>
  );
}
