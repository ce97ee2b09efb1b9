/**
 * Creating an account (login, name, roles, clients, how it signs in, the first password) or
 * changing an existing one's roles and clients. What is missing is said at once; what the engine
 * refuses (a weak password, a login taken, a client outside the administrator's own scope) is
 * shown beside the field it names, and the dialog stays open.
 */
import { useRef, useState } from 'react';
import { ALL_CLIENTS, ROLES, type Account, type Role } from '../../../../shared/api';
import { useI18n } from '../../lib/i18n/i18n-context';
import { AdminDialog, Field } from './admin-dialogs';
import { useCreateAccount, useUpdateAccount } from './admin-queries';
import { allIssuesPlaced, fieldIssues } from './field-issues';

type Problem = 'id' | 'displayName' | 'roles' | 'clients' | 'password';
const FIELDS: readonly Problem[] = ['id', 'displayName', 'roles', 'clients', 'password'];

/** "all" or a comma list, as the form holds it, to the contract's scope. */
export function parseClients(all: boolean, list: string): string[] {
  if (all) return [ALL_CLIENTS];
  return [...new Set(list.split(',').map((c) => c.trim().toLowerCase()))].filter((c) => c !== '');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export interface AccountFormProps {
  /** The account to change; null to create one. */
  readonly account: Account | null;
  readonly onDone: (account: Account) => void;
  readonly onClose: () => void;
}

export function AccountForm({ account, onDone, onClose }: AccountFormProps) {
  const { t } = useI18n();
  const creating = account === null;
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<readonly Role[]>(account?.roles ?? []);
  const [allClients, setAllClients] = useState(account ? account.clients.includes(ALL_CLIENTS) : true);
  const [clientList, setClientList] = useState(
    account && !account.clients.includes(ALL_CLIENTS) ? account.clients.join(', ') : '',
  );
  const [source, setSource] = useState<'local' | 'oidc'>('local');
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  // The password stays in its field only (never in React state), and leaves it when sent.
  const passwordRef = useRef<HTMLInputElement>(null);
  const [passwordSent, setPasswordSent] = useState(false);
  const takePassword = () => {
    const field = passwordRef.current;
    const value = field?.value ?? '';
    if (field) field.value = '';
    setPasswordSent(true);
    return value;
  };
  const create = useCreateAccount(takePassword);
  const update = useUpdateAccount();
  const mutation = creating ? create : update;

  function submit(): void {
    const clients = parseClients(allClients, clientList);
    const missing: Problem[] = [];
    if (creating && login.trim() === '') missing.push('id');
    if (creating && name.trim() === '') missing.push('displayName');
    if (roles.length === 0) missing.push('roles');
    if (clients.length === 0) missing.push('clients');
    if (creating && source === 'local' && (passwordRef.current?.value ?? '') === '') missing.push('password');
    setProblems(missing);
    if (missing.length > 0) return;
    // Roles in the contract's order, whatever order they were ticked in.
    const ordered = ROLES.filter((r) => roles.includes(r));
    if (account === null) {
      setPasswordSent(false);
      create.mutate(
        { id: login.trim(), displayName: name.trim(), roles: ordered, clients, source },
        { onSuccess: onDone },
      );
      return;
    }
    const changes = {
      ...(sameSet(ordered, account.roles) ? {} : { roles: ordered }),
      ...(sameSet(clients, account.clients) ? {} : { clients }),
    };
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate({ id: account.id, ...changes }, { onSuccess: onDone });
  }

  const errorsOf = (field: Problem, missingText: string): string[] => [
    ...(problems.includes(field) ? [missingText] : []),
    ...fieldIssues(mutation.error, field),
  ];
  const passwordErrors = errorsOf('password', t('accounts.form.needPassword'));
  const toggleRole = (role: Role, on: boolean) =>
    setRoles((held) => (on ? [...held.filter((r) => r !== role), role] : held.filter((r) => r !== role)));

  return (
    <AdminDialog
      title={creating ? t('accounts.form.createTitle') : t('accounts.form.editTitle', { login: account.id })}
      submitLabel={creating ? t('accounts.form.create') : t('accounts.form.save')}
      pending={mutation.isPending}
      onSubmit={submit}
      onClose={onClose}
      testId="account-form"
      // Issues placed beside their fields are not listed a second time.
      error={allIssuesPlaced(mutation.error, FIELDS) ? null : mutation.error}
      errorTitle={t('accounts.form.failed')}
    >
      {creating && (
        <>
          <Field
            label={t('accounts.form.login')}
            hint={t('accounts.form.loginHint')}
            errors={errorsOf('id', t('accounts.form.needLogin'))}
            testId="account-login"
          >
            {(control) => (
              <input
                {...control}
                value={login}
                onChange={(e) => setLogin(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                data-autofocus
                data-testid="account-login"
              />
            )}
          </Field>
          <Field
            label={t('accounts.form.name')}
            errors={errorsOf('displayName', t('accounts.form.needName'))}
            testId="account-name"
          >
            {(control) => (
              <input
                {...control}
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
                data-testid="account-name"
              />
            )}
          </Field>
        </>
      )}
      <fieldset className="admin-form__choices" data-testid="account-roles">
        <legend>{t('accounts.form.roles')}</legend>
        {ROLES.map((role) => (
          <label key={role} className="admin-form__choice">
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) => toggleRole(role, e.target.checked)}
              data-testid={`account-role-${role}`}
            />{' '}
            {t(`role.${role}`)}
          </label>
        ))}
        {errorsOf('roles', t('accounts.form.needRole')).length > 0 && (
          <p className="admin-field__error" role="alert" data-testid="account-roles-error">
            <span aria-hidden="true">⚠ </span>
            {errorsOf('roles', t('accounts.form.needRole')).join(' · ')}
          </p>
        )}
      </fieldset>
      <fieldset className="admin-form__choices">
        <legend>{t('accounts.form.clients')}</legend>
        <label className="admin-form__choice">
          <input
            type="radio"
            checked={allClients}
            onChange={() => setAllClients(true)}
            data-testid="account-clients-all"
          />{' '}
          {t('accounts.form.allClients')}
        </label>
        <label className="admin-form__choice">
          <input
            type="radio"
            checked={!allClients}
            onChange={() => setAllClients(false)}
            data-testid="account-clients-some"
          />{' '}
          {t('accounts.form.someClients')}
        </label>
        <Field
          label={t('accounts.form.clientList')}
          errors={errorsOf('clients', t('accounts.form.needClient'))}
          testId="account-clients"
        >
          {(control) => (
            <input
              {...control}
              value={clientList}
              disabled={allClients}
              onChange={(e) => setClientList(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="account-clients"
            />
          )}
        </Field>
      </fieldset>
      {creating && (
        <>
          <fieldset className="admin-form__choices">
            <legend>{t('accounts.form.source')}</legend>
            <label className="admin-form__choice">
              <input type="radio" checked={source === 'local'} onChange={() => setSource('local')} />{' '}
              {t('accounts.form.sourceLocal')}
            </label>
            <label className="admin-form__choice">
              <input
                type="radio"
                checked={source === 'oidc'}
                onChange={() => setSource('oidc')}
                data-testid="account-source-oidc"
              />{' '}
              {t('accounts.form.sourceOidc')}
            </label>
          </fieldset>
          {source === 'local' && (
            <Field
              label={t('accounts.form.password')}
              hint={t('accounts.form.passwordHint')}
              errors={
                passwordSent && mutation.isError
                  ? [...passwordErrors, t('accounts.form.retypePassword')]
                  : passwordErrors
              }
              testId="account-password"
            >
              {(control) => (
                <input
                  {...control}
                  ref={passwordRef}
                  type="password"
                  autoComplete="new-password"
                  defaultValue=""
                  data-testid="account-password"
                />
              )}
            </Field>
          )}
        </>
      )}
    </AdminDialog>
  );
}
