/**
 * The one-step changes to an account, each confirmed in a dialog that says what it does to the
 * person: disabling signs them out at once on every seat, removing the TOTP lets them in with the
 * password alone, a new password replaces theirs (typed here, sent, and cleared from the field).
 */
import { useRef, useState } from 'react';
import type { Account } from '../../../../shared/api';
import { missingCase } from '../../../../shared/domain/missing-case';
import { useI18n } from '../../lib/i18n/i18n-context';
import { AdminDialog, Field } from './admin-dialogs';
import { useRemoveTotp, useSetPassword, useUpdateAccount } from './admin-queries';
import { allIssuesPlaced, fieldIssues } from './field-issues';

export type AccountAction = 'disable' | 'enable' | 'password' | 'removeTotp';

export interface AccountActionDialogProps {
  readonly action: AccountAction;
  readonly account: Account;
  readonly onDone: (account: Account) => void;
  readonly onClose: () => void;
}

export function AccountActionDialog({ action, account, onDone, onClose }: AccountActionDialogProps) {
  switch (action) {
    case 'disable':
    case 'enable':
      return (
        <DisableDialog account={account} disable={action === 'disable'} onDone={onDone} onClose={onClose} />
      );
    case 'password':
      return <PasswordDialog account={account} onDone={onDone} onClose={onClose} />;
    case 'removeTotp':
      return <RemoveTotpDialog account={account} onDone={onDone} onClose={onClose} />;
    default:
      throw missingCase(action);
  }
}

interface OneAccount {
  readonly account: Account;
  readonly onDone: (account: Account) => void;
  readonly onClose: () => void;
}

function DisableDialog({ account, disable, onDone, onClose }: OneAccount & { disable: boolean }) {
  const { t } = useI18n();
  const update = useUpdateAccount();
  const params = { login: account.id, name: account.displayName };
  return (
    <AdminDialog
      title={t(disable ? 'accounts.disable.title' : 'accounts.enable.title', params)}
      submitLabel={t(disable ? 'accounts.disable.confirm' : 'accounts.enable.confirm')}
      pending={update.isPending}
      onSubmit={() => update.mutate({ id: account.id, disabled: disable }, { onSuccess: onDone })}
      onClose={onClose}
      testId={disable ? 'account-disable' : 'account-enable'}
      error={update.error}
      errorTitle={t('admin.failed')}
      danger={disable}
    >
      <p data-testid="account-confirm-body">
        {t(disable ? 'accounts.disable.body' : 'accounts.enable.body', params)}
      </p>
    </AdminDialog>
  );
}

function PasswordDialog({ account, onDone, onClose }: OneAccount) {
  const { t } = useI18n();
  const fieldRef = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  const [sent, setSent] = useState(false);
  const setPassword = useSetPassword(() => {
    const field = fieldRef.current;
    const value = field?.value ?? '';
    if (field) field.value = '';
    setSent(true);
    return value;
  });
  const submit = () => {
    const empty = (fieldRef.current?.value ?? '') === '';
    setMissing(empty);
    if (empty) return;
    setSent(false);
    setPassword.mutate(account.id, { onSuccess: onDone });
  };
  const errors = [
    ...(missing ? [t('accounts.setPassword.needPassword')] : []),
    ...fieldIssues(setPassword.error, 'password'),
    ...(sent && setPassword.isError ? [t('accounts.form.retypePassword')] : []),
  ];
  return (
    <AdminDialog
      title={t('accounts.setPassword.title', { login: account.id })}
      submitLabel={t('accounts.setPassword.confirm')}
      pending={setPassword.isPending}
      onSubmit={submit}
      onClose={onClose}
      testId="account-password-dialog"
      error={allIssuesPlaced(setPassword.error, ['password']) ? null : setPassword.error}
      errorTitle={t('admin.failed')}
    >
      <Field
        label={t('accounts.setPassword.field')}
        hint={t('admin.valueHidden')}
        errors={errors}
        testId="account-new-password"
      >
        {(control) => (
          <input
            {...control}
            ref={fieldRef}
            type="password"
            autoComplete="new-password"
            defaultValue=""
            data-autofocus
            data-testid="account-new-password"
          />
        )}
      </Field>
    </AdminDialog>
  );
}

function RemoveTotpDialog({ account, onDone, onClose }: OneAccount) {
  const { t } = useI18n();
  const removeTotp = useRemoveTotp();
  const params = { login: account.id, name: account.displayName };
  return (
    <AdminDialog
      title={t('accounts.removeTotp.title', params)}
      submitLabel={t('accounts.removeTotp.confirm')}
      pending={removeTotp.isPending}
      onSubmit={() => removeTotp.mutate(account.id, { onSuccess: onDone })}
      onClose={onClose}
      testId="account-remove-totp"
      error={removeTotp.error}
      errorTitle={t('admin.failed')}
      danger
    >
      <p data-testid="account-confirm-body">{t('accounts.removeTotp.body', params)}</p>
    </AdminDialog>
  );
}
