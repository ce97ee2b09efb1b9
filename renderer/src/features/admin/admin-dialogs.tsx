/**
 * Pieces shared by the accounts and secrets views: a labelled field that shows its hint and the
 * errors about it (ours or the engine's) right beside it, and a confirmation dialog whose submit
 * is held while the request runs and which stays open, with the engine's answer, when refused.
 */
import { useId, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { OverlayDialog } from '../../components/overlay-dialog';
import { useI18n } from '../../lib/i18n/i18n-context';

export interface FieldProps {
  readonly label: string;
  readonly hint?: string;
  readonly errors: readonly string[];
  readonly testId: string;
  /** Renders the control with the ids that tie it to its label, hint and errors. */
  readonly children: (control: {
    id: string;
    'aria-describedby': string | undefined;
    'aria-invalid': boolean;
  }) => ReactElement;
}

export function Field({ label, hint, errors, testId, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errors.length > 0 ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="admin-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy || undefined, 'aria-invalid': errors.length > 0 })}
      {hint && (
        <p className="admin-field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {errors.length > 0 && (
        <p className="admin-field__error" id={errorId} role="alert" data-testid={`${testId}-error`}>
          <span aria-hidden="true">⚠ </span>
          {errors.join(' · ')}
        </p>
      )}
    </div>
  );
}

export interface AdminDialogProps {
  readonly title: string;
  readonly submitLabel: string;
  readonly pending: boolean;
  readonly onSubmit: () => void;
  readonly onClose: () => void;
  readonly testId: string;
  /** The request's failure, shown with its reference; null while none. */
  readonly error: unknown;
  readonly errorTitle: string;
  /** The submit stands for something that cannot be undone by the person themselves. */
  readonly danger?: boolean;
  readonly children?: ReactNode;
}

export function AdminDialog({
  title,
  submitLabel,
  pending,
  onSubmit,
  onClose,
  testId,
  error,
  errorTitle,
  danger = false,
  children,
}: AdminDialogProps) {
  const { t } = useI18n();
  const titleId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!pending) onSubmit();
  };
  return (
    <OverlayDialog variant="centre" labelledBy={titleId} onClose={onClose} testId={testId}>
      <form className="admin-form" onSubmit={submit} noValidate>
        <h2 className="detail__title" id={titleId}>
          {title}
        </h2>
        {children}
        {error !== null && error !== undefined && <ApiErrorNotice error={error} title={errorTitle} />}
        <div className="admin-form__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button
            type="submit"
            className={`button ${danger ? 'admin-danger' : 'admin-primary'}`}
            disabled={pending}
            data-testid={`${testId}-submit`}
          >
            {submitLabel}
          </button>
        </div>
      </form>
    </OverlayDialog>
  );
}
