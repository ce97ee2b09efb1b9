/**
 * Setting a secret's value and deleting a secret.
 *
 * The value is typed or pasted into a masked text area (an SSH private key spans many lines, so
 * an `<input type="password">` cannot hold it). It is never put in React state: the field itself
 * holds it until it is sent, and is emptied as it is sent, whatever the engine answers. Only its
 * size is shown, so the administrator can tell the paste arrived.
 */
import { useRef, useState } from 'react';
import { secretNameSchema, type SecretSummary } from '../../../../shared/api';
import { useI18n } from '../../lib/i18n/i18n-context';
import { AdminDialog, Field } from './admin-dialogs';
import { useDeleteSecret, useSetSecret } from './admin-queries';
import { allIssuesPlaced, fieldIssues } from './field-issues';

const utf8 = new TextEncoder();

export interface SetSecretDialogProps {
  /** The secret whose value is set; null for a new name. */
  readonly secret: SecretSummary | null;
  readonly onDone: (result: { name: string; replaced: boolean }) => void;
  readonly onClose: () => void;
}

export function SetSecretDialog({ secret, onDone, onClose }: SetSecretDialogProps) {
  const { t, fmt } = useI18n();
  const [name, setName] = useState(secret?.name ?? '');
  const [comment, setComment] = useState('');
  const [problems, setProblems] = useState<readonly ('name' | 'value')[]>([]);
  /** Lines and bytes of what is in the field: never the value itself. */
  const [size, setSize] = useState<{ lines: number; bytes: number } | null>(null);
  const [sent, setSent] = useState(false);
  const valueRef = useRef<HTMLTextAreaElement>(null);
  const setSecret = useSetSecret(() => {
    const field = valueRef.current;
    const value = field?.value ?? '';
    if (field) field.value = '';
    setSize(null);
    setSent(true);
    return value;
  });

  function measure(): void {
    const value = valueRef.current?.value ?? '';
    setSize(value === '' ? null : { lines: value.split('\n').length, bytes: utf8.encode(value).byteLength });
  }

  function submit(): void {
    const trimmed = name.trim();
    const missing: ('name' | 'value')[] = [];
    if (!secretNameSchema.safeParse(trimmed).success) missing.push('name');
    if ((valueRef.current?.value ?? '') === '') missing.push('value');
    setProblems(missing);
    if (missing.length > 0) return;
    setSent(false);
    setSecret.mutate(
      { name: trimmed, comment },
      { onSuccess: (result) => onDone({ name: result.name, replaced: result.replaced }) },
    );
  }

  const valueErrors = [
    ...(problems.includes('value') ? [t('secrets.set.needValue')] : []),
    ...fieldIssues(setSecret.error, 'value'),
    ...(sent && setSecret.isError ? [t('secrets.set.cleared')] : []),
  ];
  return (
    <AdminDialog
      title={secret ? t('secrets.set.title', { name: secret.name }) : t('secrets.set.newTitle')}
      submitLabel={t('secrets.set.confirm')}
      pending={setSecret.isPending}
      onSubmit={submit}
      onClose={onClose}
      testId="secret-set"
      error={allIssuesPlaced(setSecret.error, ['name', 'value']) ? null : setSecret.error}
      errorTitle={t('secrets.set.failed')}
    >
      {secret === null && (
        <Field
          label={t('secrets.set.name')}
          hint={t('secrets.set.nameHint')}
          errors={[
            ...(problems.includes('name') ? [t('secrets.set.badName')] : []),
            ...fieldIssues(setSecret.error, 'name'),
          ]}
          testId="secret-name"
        >
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              data-testid="secret-name"
            />
          )}
        </Field>
      )}
      {secret?.configured && <p className="admin-muted">{t('secrets.set.replaces')}</p>}
      <Field
        label={t('secrets.set.value')}
        hint={t('secrets.set.valueHint')}
        errors={valueErrors}
        testId="secret-value"
      >
        {(control) => (
          <textarea
            {...control}
            ref={valueRef}
            className="admin-secret-input"
            rows={8}
            defaultValue=""
            onInput={measure}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            {...(secret === null ? {} : { 'data-autofocus': true })}
            data-testid="secret-value"
          />
        )}
      </Field>
      <p className="admin-muted" data-testid="secret-size">
        {size ? t('secrets.set.size', { lines: fmt.number(size.lines), bytes: fmt.number(size.bytes) }) : ''}
      </p>
      <Field
        label={t('secrets.set.comment')}
        errors={fieldIssues(setSecret.error, 'comment')}
        testId="secret-comment"
      >
        {(control) => (
          <input
            {...control}
            value={comment}
            maxLength={500}
            onChange={(e) => setComment(e.target.value)}
            data-testid="secret-comment"
          />
        )}
      </Field>
    </AdminDialog>
  );
}

export interface DeleteSecretDialogProps {
  readonly secret: SecretSummary;
  readonly onDone: (result: { name: string; stillUsedBy: readonly string[] }) => void;
  readonly onClose: () => void;
}

export function DeleteSecretDialog({ secret, onDone, onClose }: DeleteSecretDialogProps) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const remove = useDeleteSecret();
  return (
    <AdminDialog
      title={t('secrets.delete.title', { name: secret.name })}
      submitLabel={t('secrets.delete.confirm')}
      pending={remove.isPending}
      onSubmit={() => remove.mutate({ name: secret.name, comment }, { onSuccess: onDone })}
      onClose={onClose}
      testId="secret-delete"
      error={remove.error}
      errorTitle={t('secrets.delete.failed')}
      danger
    >
      {secret.usedBy.length > 0 ? (
        <div className="admin-banner admin-banner--warn" data-testid="secret-delete-used">
          <p>
            <span aria-hidden="true">⚠ </span>
            {t('secrets.delete.usedBy')}
          </p>
          <ul className="admin-paths">
            {secret.usedBy.map((path) => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p data-testid="secret-delete-unused">{t('secrets.delete.unused')}</p>
      )}
      <Field label={t('secrets.delete.comment')} errors={[]} testId="secret-delete-comment">
        {(control) => (
          <input
            {...control}
            value={comment}
            maxLength={500}
            onChange={(e) => setComment(e.target.value)}
            data-testid="secret-delete-comment"
          />
        )}
      </Field>
    </AdminDialog>
  );
}
