/**
 * The accounts (issue 6), for administrators: who may sign in, their roles (by their translated
 * names) and clients, where the account comes from, whether it is disabled, has a password, has
 * enrolled a TOTP, or is locked out by failed sign-ins. Create, change roles and clients,
 * disable or enable (which signs the person out at once), set a password, remove a TOTP.
 * Keyboard: j/k move, Enter changes the selected account, n creates, / filters.
 *
 * Shown only to people holding `users.manage` (the engine refuses the channels to anyone else and
 * keeps a scoped administrator to the accounts within their own clients).
 */
import { useMemo, useRef, useState } from 'react';
import { ALL_CLIENTS, type Account } from '../../../../shared/api';
import { FilterBox } from '../../components/filter-box';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import { useAccess } from '../../lib/session/access';
import { useSession } from '../../lib/session/session-context';
import { AccountActionDialog, type AccountAction } from './account-actions';
import { AccountForm } from './account-form';
import { useAccounts } from './admin-queries';
import { useRowKeys } from './use-row-keys';
import { ListStates } from './list-states';
import './admin.css';

type Dialog =
  | { readonly kind: 'create' }
  | { readonly kind: 'edit'; readonly id: string }
  | { readonly kind: AccountAction; readonly id: string };

const DONE_TEXT = {
  create: 'accounts.done.created',
  edit: 'accounts.done.updated',
  disable: 'accounts.done.disabled',
  enable: 'accounts.done.enabled',
  password: 'accounts.done.password',
  removeTotp: 'accounts.done.totp',
} as const;

function rolesText(account: Account, t: Translate): string {
  return account.roles.map((role) => t(`role.${role}`)).join(', ');
}

function clientsText(account: Account, t: Translate): string {
  return account.clients.includes(ALL_CLIENTS) ? t('accounts.clients.all') : account.clients.join(', ');
}

/** Whether the account matches every word of the filter (login, name, roles in both forms, clients). */
function matches(account: Account, words: readonly string[], t: Translate): boolean {
  const haystack = [
    account.id,
    account.displayName,
    ...account.roles,
    rolesText(account, t),
    clientsText(account, t),
    t(`accounts.source.${account.source}`),
  ]
    .join(' ')
    .toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function AccountsView() {
  const { t, fmt, locale } = useI18n();
  const session = useSession();
  const access = useAccess('users.manage');
  const list = useAccounts(access.allowed);
  const now = useNow();
  const [filter, setFilter] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());

  const accounts = useMemo(() => list.data?.accounts ?? [], [list.data]);
  const shown = useMemo(() => {
    const words = filter.toLocaleLowerCase(locale).split(/\s+/).filter(Boolean);
    return [...accounts].sort((a, b) => a.id.localeCompare(b.id)).filter((a) => matches(a, words, t));
  }, [accounts, filter, locale, t]);
  const selected = shown.find((a) => a.id === selectedId) ?? null;
  const dialogAccount = dialog && dialog.kind !== 'create' ? accounts.find((a) => a.id === dialog.id) : null;

  function select(id: string | null): void {
    setSelectedId(id);
    if (id !== null) rowRefs.current.get(id)?.focus();
  }

  function open(next: Dialog): void {
    setNotice(null);
    setDialog(next);
  }

  useRowKeys(access.allowed && dialog === null, {
    move: (by) => {
      if (shown.length === 0) return;
      const index = selected === null ? -1 : shown.indexOf(selected);
      const to =
        by === 'first'
          ? 0
          : by === 'last'
            ? shown.length - 1
            : Math.max(0, Math.min(shown.length - 1, index + by));
      select(shown[to]?.id ?? null);
    },
    open: () => {
      if (selected) open({ kind: 'edit', id: selected.id });
    },
    create: () => open({ kind: 'create' }),
    filter: () => {
      filterRef.current?.focus();
      filterRef.current?.select();
    },
  });

  const done = (kind: Dialog['kind']) => (account: Account) => {
    setDialog(null);
    setSelectedId(account.id);
    setNotice(t(DONE_TEXT[kind], { login: account.id }));
  };

  // Until the engine says who is here, neither refuse nor ask.
  if (session === null)
    return (
      <section className="admin" data-testid="accounts-view">
        <p role="status">{t('accounts.loading')}</p>
      </section>
    );
  if (!access.allowed)
    return (
      <section className="admin" data-testid="accounts-view">
        <h2>{t('accounts.title')}</h2>
        <p className="admin-banner" role="alert" data-testid="accounts-denied">
          {access.reason}
        </p>
      </section>
    );

  return (
    <section className="admin" aria-labelledby="accounts-title" data-testid="accounts-view">
      <header className="admin__header">
        <h2 id="accounts-title">{t('accounts.title')}</h2>
        <p className="admin__intro">{t('accounts.intro')}</p>
      </header>
      <div className="admin__tools">
        <FilterBox
          ref={filterRef}
          value={filter}
          shown={shown.length}
          total={accounts.length}
          onChange={setFilter}
          onLeave={() => select(selected?.id ?? shown[0]?.id ?? null)}
          texts={{
            label: t('accounts.filter.label'),
            placeholder: t('accounts.filter.placeholder'),
            result: (s, total) => t('accounts.filter.result', { shown: s, total }),
          }}
          testId="accounts-filter"
        />
        <button
          type="button"
          className="button admin-primary"
          onClick={() => open({ kind: 'create' })}
          aria-keyshortcuts="n"
          data-testid="accounts-new"
        >
          {t('accounts.new')}
        </button>
      </div>
      <ListStates
        name="accounts"
        notice={notice}
        query={list}
        total={accounts.length}
        shown={shown.length}
        text={{
          failed: t('accounts.failed'),
          loading: t('accounts.loading'),
          empty: t('accounts.empty'),
          noMatch: t('accounts.noMatch'),
        }}
      />
      {shown.length > 0 && (
        <table className="admin-table" data-testid="accounts-table">
          <thead>
            <tr>
              <th scope="col">{t('accounts.column.login')}</th>
              <th scope="col">{t('accounts.column.name')}</th>
              <th scope="col">{t('accounts.column.roles')}</th>
              <th scope="col">{t('accounts.column.clients')}</th>
              <th scope="col">{t('accounts.column.source')}</th>
              <th scope="col">{t('accounts.column.state')}</th>
              <th scope="col">{t('accounts.column.password')}</th>
              <th scope="col">{t('accounts.column.totp')}</th>
              <th scope="col">{t('accounts.column.locked')}</th>
              <th scope="col">{t('accounts.column.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((account) => {
              const isSelected = account.id === selected?.id;
              const locked = account.lockedUntil !== null && account.lockedUntil > now;
              return (
                <tr
                  key={account.id}
                  ref={(el) => {
                    if (el) rowRefs.current.set(account.id, el);
                    else rowRefs.current.delete(account.id);
                  }}
                  className={`admin-row${account.disabled ? ' admin-row--disabled' : ''}`}
                  tabIndex={isSelected || (selected === null && account === shown[0]) ? 0 : -1}
                  aria-selected={isSelected}
                  onClick={() => setSelectedId(account.id)}
                  onFocus={() => setSelectedId(account.id)}
                  data-row
                  data-account-id={account.id}
                  data-testid="account-row"
                >
                  <td>
                    <code>{account.id}</code>
                  </td>
                  <td>{account.displayName}</td>
                  <td data-testid="account-roles-cell">{rolesText(account, t)}</td>
                  <td>{clientsText(account, t)}</td>
                  <td>{t(`accounts.source.${account.source}`)}</td>
                  <td>
                    {account.disabled ? (
                      <span className="admin-flag admin-flag--off" data-testid="account-disabled">
                        <span aria-hidden="true">⛔ </span>
                        {t('accounts.state.disabled')}
                      </span>
                    ) : (
                      t('accounts.state.active')
                    )}
                  </td>
                  <td>{t(account.hasPassword ? 'accounts.password.set' : 'accounts.password.none')}</td>
                  <td>{t(account.totpEnrolled ? 'accounts.totp.enrolled' : 'accounts.totp.none')}</td>
                  <td>
                    {locked && account.lockedUntil !== null ? (
                      <span className="admin-flag admin-flag--warn" data-testid="account-locked">
                        <span aria-hidden="true">🔒 </span>
                        <time dateTime={new Date(account.lockedUntil).toISOString()}>
                          {fmt.dateTime(account.lockedUntil)}
                        </time>
                      </span>
                    ) : (
                      <span className="admin-muted">{t('accounts.locked.none')}</span>
                    )}
                  </td>
                  <td>
                    <div
                      className="admin-row__actions"
                      role="group"
                      aria-label={t('admin.rowActions', { name: account.id })}
                    >
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => open({ kind: 'edit', id: account.id })}
                        data-testid="account-edit"
                      >
                        {t('accounts.action.edit')}
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() =>
                          open({ kind: account.disabled ? 'enable' : 'disable', id: account.id })
                        }
                        data-testid={account.disabled ? 'account-enable-open' : 'account-disable-open'}
                      >
                        {t(account.disabled ? 'accounts.action.enable' : 'accounts.action.disable')}
                      </button>
                      {account.source === 'local' && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => open({ kind: 'password', id: account.id })}
                          data-testid="account-password-open"
                        >
                          {t('accounts.action.password')}
                        </button>
                      )}
                      {account.totpEnrolled && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => open({ kind: 'removeTotp', id: account.id })}
                          data-testid="account-remove-totp-open"
                        >
                          {t('accounts.action.removeTotp')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' && (
        <AccountForm account={null} onDone={done('create')} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'edit' && dialogAccount && (
        <AccountForm account={dialogAccount} onDone={done('edit')} onClose={() => setDialog(null)} />
      )}
      {dialog && dialog.kind !== 'create' && dialog.kind !== 'edit' && dialogAccount && (
        <AccountActionDialog
          action={dialog.kind}
          account={dialogAccount}
          onDone={done(dialog.kind)}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
