/**
 * "My account": the signed-in person changes their own password and sets up two-step sign-in
 * (TOTP). Only a local account has these in Vigie; for a single sign-on person the identity
 * provider manages both, and the dialog says so instead of offering forms that would be refused.
 *
 * The passwords are never put in React state: the fields hold them until the request leaves and
 * are emptied as it leaves, whatever the engine answers (see account-mutations.ts). There is no QR
 * code (no QR encoder among the dependencies): the secret is shown in groups of four for typing
 * by hand, and the `otpauth://` link as text to copy.
 */
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { PersonSummary } from '../../../../shared/api';
import { missingCase } from '../../../../shared/domain/missing-case';
import { OverlayDialog } from '../../components/overlay-dialog';
import { apiErrorOf } from '../../lib/api/bridge-error';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useSession } from '../../lib/session/session-context';
import { useChangePassword, useTotpBegin, useTotpConfirm, type TotpEnrolment } from './account-mutations';
import { authFailureText } from './auth-message';

/** The base32 secret in groups of four, as authenticator apps show and people read it. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** The engine's VALIDATION messages about `field`, for a failed request. */
function issuesOn(error: unknown, field: string): string[] {
  const apiError = apiErrorOf(error);
  if (apiError?.code !== 'VALIDATION') return [];
  return (apiError.issues ?? []).filter((issue) => issue.path === field).map((issue) => issue.message);
}

interface FieldControl {
  readonly id: string;
  readonly 'aria-describedby': string | undefined;
  readonly 'aria-invalid': boolean;
}

function Field({
  label,
  hint,
  errors,
  testId,
  children,
}: {
  label: string;
  hint?: string;
  errors: readonly string[];
  testId: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errors.length > 0 ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="account__field">
      <label className="sign-in__field" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': errors.length > 0 })}
      {hint && (
        <p className="sign-in__hint" id={hintId}>
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <p className="sign-in__error" id={errorId} role="alert" data-testid={`${testId}-error`}>
          <span aria-hidden="true">⚠ </span>
          {errors.join(' · ')}
        </p>
      )}
    </div>
  );
}

type PasswordField = 'current' | 'next' | 'repeat';

function PasswordSection({ login }: { login: string }) {
  const { t } = useI18n();
  const headingId = useId();
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  /** Problems found before sending (nothing was sent): by field. */
  const [problems, setProblems] = useState<Partial<Record<PasswordField, string>>>({});
  /** The fields were emptied by a request that then failed: say so, or the person wonders. */
  const [sent, setSent] = useState(false);
  const change = useChangePassword(() => {
    const fields = [currentRef.current, nextRef.current, repeatRef.current];
    const [current = '', next = ''] = fields.map((field) => field?.value ?? '');
    for (const field of fields) if (field) field.value = '';
    setSent(true);
    return { current, next };
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (change.isPending) return;
    const current = currentRef.current?.value ?? '';
    const next = nextRef.current?.value ?? '';
    const repeat = repeatRef.current?.value ?? '';
    const found: Partial<Record<PasswordField, string>> = {};
    if (current === '') found.current = t('account.password.needCurrent');
    if (next === '') found.next = t('account.password.needNext');
    else if (repeat !== next) found.repeat = t('account.password.mismatch');
    setProblems(found);
    const first = (['current', 'next', 'repeat'] as const).find((field) => found[field] !== undefined);
    if (first !== undefined) {
      ({ current: currentRef, next: nextRef, repeat: repeatRef })[first].current?.focus();
      return;
    }
    setSent(false);
    change.reset();
    change.mutate(undefined, { onError: () => currentRef.current?.focus() });
  }

  const apiError = change.isError ? apiErrorOf(change.error) : null;
  const wrongCurrent = apiError?.code === 'UNAUTHENTICATED' && apiError.reason === 'BAD_CREDENTIALS';
  const nextIssues = issuesOn(change.error, 'next');
  const currentIssues = issuesOn(change.error, 'current');
  const placed = wrongCurrent || nextIssues.length > 0 || currentIssues.length > 0;
  const currentErrors = [
    ...(problems.current ? [problems.current] : []),
    ...(wrongCurrent ? [t('account.password.wrongCurrent')] : []),
    ...currentIssues,
  ];
  const nextErrors = [
    ...(problems.next ? [problems.next] : []),
    ...(nextIssues.length > 0 ? [t('account.password.weak', { details: nextIssues.join('; ') })] : []),
  ];

  return (
    <section className="account__section" aria-labelledby={headingId} data-testid="account-password">
      <h3 className="account__heading" id={headingId}>
        {t('account.password.title')}
      </h3>
      <form className="sign-in__form" onSubmit={submit} noValidate data-testid="account-password-form">
        {/* The login, unseen, lets a password manager file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={login} readOnly hidden />
        <Field label={t('account.password.current')} errors={currentErrors} testId="account-current">
          {(control) => (
            <input
              {...control}
              ref={currentRef}
              className="sign-in__input"
              type="password"
              autoComplete="current-password"
              defaultValue=""
              data-autofocus
              data-testid="account-current"
            />
          )}
        </Field>
        <Field
          label={t('account.password.next')}
          hint={t('account.password.nextHint')}
          errors={nextErrors}
          testId="account-next"
        >
          {(control) => (
            <input
              {...control}
              ref={nextRef}
              className="sign-in__input"
              type="password"
              autoComplete="new-password"
              defaultValue=""
              data-testid="account-next"
            />
          )}
        </Field>
        <Field
          label={t('account.password.repeat')}
          errors={problems.repeat ? [problems.repeat] : []}
          testId="account-repeat"
        >
          {(control) => (
            <input
              {...control}
              ref={repeatRef}
              className="sign-in__input"
              type="password"
              autoComplete="new-password"
              defaultValue=""
              data-testid="account-repeat"
            />
          )}
        </Field>
        {change.isError && !placed && (
          <p className="sign-in__error" role="alert" data-testid="account-password-error">
            {authFailureText(t, change.error, t('account.password.failed'))}
          </p>
        )}
        {change.isError && sent && (
          <p className="sign-in__hint" data-testid="account-password-cleared">
            {t('account.password.cleared')}
          </p>
        )}
        {change.isSuccess && (
          <p className="account__done" role="status" data-testid="account-password-done">
            <span aria-hidden="true">✓ </span>
            {t('account.password.done')}
          </p>
        )}
        <button
          type="submit"
          className="button sign-in__submit"
          disabled={change.isPending}
          data-testid="account-password-submit"
        >
          {change.isPending ? t('account.password.working') : t('account.password.submit')}
        </button>
      </form>
    </section>
  );
}

type CopyState = 'idle' | 'copied' | 'failed';

function TotpSection() {
  const { t } = useI18n();
  const headingId = useId();
  const secretId = useId();
  const uriId = useId();
  /** Shown to this person once, while the dialog is open; gone when it closes. */
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [copy, setCopy] = useState<CopyState>('idle');
  const [expired, setExpired] = useState(false);
  const begin = useTotpBegin((received) => {
    setEnrolment(received);
    setCode('');
    setCopy('idle');
  });
  const confirm = useTotpConfirm();

  function start(): void {
    setExpired(false);
    confirm.reset();
    begin.mutate();
  }

  function cancel(): void {
    setEnrolment(null);
    setCode('');
    confirm.reset();
    begin.reset();
  }

  function submitCode(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (confirm.isPending || code.length !== 6) return;
    confirm.mutate(code, {
      onSuccess: () => setEnrolment(null),
      onError: (err) => {
        setCode('');
        // The engine holds no enrolment any more (timed out, or replaced from another seat).
        if (apiErrorOf(err)?.code === 'CONFLICT') {
          setEnrolment(null);
          setExpired(true);
        }
      },
    });
  }

  function copyUri(uri: string): void {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard) {
      setCopy('failed');
      return;
    }
    clipboard.writeText(uri).then(
      () => setCopy('copied'),
      (err: unknown) => {
        console.warn('[vigie] the clipboard refused the TOTP link; it stays selectable', err);
        setCopy('failed');
      },
    );
  }

  const confirmError = confirm.isError ? apiErrorOf(confirm.error) : null;
  const badCode = confirmError?.code === 'UNAUTHENTICATED' && confirmError.reason === 'BAD_TOTP';
  const codeErrors = [...(badCode ? [t('account.totp.badCode')] : []), ...issuesOn(confirm.error, 'code')];

  return (
    <section className="account__section" aria-labelledby={headingId} data-testid="account-totp">
      <h3 className="account__heading" id={headingId}>
        {t('account.totp.title')}
      </h3>
      <p className="account__text">{t('account.totp.intro')}</p>
      {confirm.isSuccess && (
        <p className="account__done" role="status" data-testid="account-totp-done">
          <span aria-hidden="true">✓ </span>
          {t('account.totp.done')}
        </p>
      )}
      {expired && (
        <p className="sign-in__error" role="alert" data-testid="account-totp-expired">
          {t('account.totp.expired')}
        </p>
      )}
      {enrolment === null ? (
        <>
          {!confirm.isSuccess && <p className="sign-in__hint">{t('account.totp.again')}</p>}
          {begin.isError && (
            <p className="sign-in__error" role="alert" data-testid="account-totp-error">
              {authFailureText(t, begin.error, t('account.totp.failed'))}
            </p>
          )}
          <button
            type="button"
            className="button account__start"
            onClick={start}
            disabled={begin.isPending}
            data-testid="account-totp-start"
          >
            {begin.isPending ? t('account.totp.starting') : t('account.totp.start')}
          </button>
        </>
      ) : (
        <div className="account__enrolment" data-testid="account-totp-enrolment">
          <p className="account__text">{t('account.totp.noQr')}</p>
          <label className="sign-in__field" htmlFor={secretId}>
            {t('account.totp.secret')}
          </label>
          <output id={secretId} className="account__secret" data-testid="account-totp-secret">
            {groupSecret(enrolment.secret)}
          </output>
          <label className="sign-in__field" htmlFor={uriId}>
            {t('account.totp.uri')}
          </label>
          <div className="account__uri">
            <input
              id={uriId}
              className="sign-in__input account__uri-text"
              readOnly
              value={enrolment.uri}
              onFocus={(event) => event.currentTarget.select()}
              spellCheck={false}
              data-testid="account-totp-uri"
            />
            <button
              type="button"
              className="button button--small"
              onClick={() => copyUri(enrolment.uri)}
              data-testid="account-totp-copy"
            >
              {t('account.totp.copy')}
            </button>
          </div>
          {copy !== 'idle' && (
            <p className="sign-in__hint" role="status" data-testid="account-totp-copied">
              {copy === 'copied' ? t('account.totp.copied') : t('account.totp.copyFailed')}
            </p>
          )}
          <p className="sign-in__hint">{t('account.totp.once')}</p>
          <form className="sign-in__form" onSubmit={submitCode} noValidate data-testid="account-totp-form">
            <Field label={t('account.totp.code')} errors={codeErrors} testId="account-totp-code">
              {(control) => (
                <input
                  {...control}
                  className="sign-in__input sign-in__input--code"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  pattern="[0-9]{6}"
                  maxLength={6}
                  value={code}
                  onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
                  data-testid="account-totp-code"
                />
              )}
            </Field>
            {confirm.isError && !badCode && confirmError?.code !== 'CONFLICT' && (
              <p className="sign-in__error" role="alert" data-testid="account-totp-error">
                {authFailureText(t, confirm.error, t('account.totp.failed'))}
              </p>
            )}
            <div className="account__actions">
              <button
                type="submit"
                className="button"
                disabled={confirm.isPending || code.length !== 6}
                data-testid="account-totp-confirm"
              >
                {confirm.isPending ? t('account.totp.confirming') : t('account.totp.confirm')}
              </button>
              <button
                type="button"
                className="button button--small"
                onClick={cancel}
                data-testid="account-totp-cancel"
              >
                {t('account.totp.cancel')}
              </button>
            </div>
          </form>
        </div>
      )}
    </section>
  );
}

function AccountBody({ person }: { person: PersonSummary }) {
  const { t } = useI18n();
  switch (person.source) {
    case 'local':
      return (
        <>
          <PasswordSection login={person.id} />
          <TotpSection />
        </>
      );
    case 'oidc':
      return (
        <p className="account__text" data-testid="account-oidc">
          {t('account.oidc')}
        </p>
      );
    case 'machine':
      return (
        <p className="account__text" data-testid="account-machine">
          {t('account.machine')}
        </p>
      );
    default:
      throw missingCase(person.source);
  }
}

/** The dialog; renders nothing while nobody is signed in (the header does not offer it then). */
export function AccountDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const headingId = useId();
  const person = session?.person ?? null;
  if (person === null) return null;
  return (
    <OverlayDialog variant="centre" labelledBy={headingId} onClose={onClose} testId="account-dialog">
      <div className="account">
        <button
          type="button"
          className="button button--icon sign-in-dialog__close"
          onClick={onClose}
          aria-label={t('account.close')}
          {...(person.source === 'local' ? {} : { 'data-autofocus': true })}
        >
          <span aria-hidden="true">✕</span>
        </button>
        <h2 className="sign-in__title" id={headingId}>
          {t('account.title')}
        </h2>
        <p className="account__who" data-testid="account-who">
          {t('account.who', { name: person.displayName || person.id, login: person.id })}
        </p>
        <AccountBody person={person} />
      </div>
    </OverlayDialog>
  );
}
