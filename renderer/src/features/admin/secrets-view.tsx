/**
 * The secret vault (issue 6), for administrators: each name the vault holds or the configuration
 * references (`vault:NAME`), whether a value is stored (NOT SET stands out: something will fail
 * to authenticate), when it was last set, and which configuration paths use it. Values go in
 * (the "set value" dialog) and never come out. When the engine cannot use its vault, the reason
 * is the first thing on the page and nothing can be set or deleted.
 * Keyboard: j/k move, Enter sets the selected secret's value, n a new one, / filters.
 */
import { useMemo, useRef, useState } from 'react';
import type { SecretSummary } from '../../../../shared/api';
import { FilterBox } from '../../components/filter-box';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useAccess } from '../../lib/session/access';
import { useSession } from '../../lib/session/session-context';
import { useSecrets } from './admin-queries';
import { DeleteSecretDialog, SetSecretDialog } from './secret-dialogs';
import { useRowKeys } from './use-row-keys';
import { ListStates } from './list-states';
import './admin.css';

type Dialog =
  | { readonly kind: 'new' }
  | { readonly kind: 'set'; readonly name: string }
  | { readonly kind: 'delete'; readonly name: string };

export function SecretsView() {
  const { t, fmt } = useI18n();
  const session = useSession();
  const access = useAccess('secrets.manage');
  const list = useSecrets(access.allowed);
  const [filter, setFilter] = useState('');
  const [selectedName, setSelectedName] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());

  const unavailable = list.data?.unavailable ?? null;
  const usable = list.isSuccess && unavailable === null;
  const secrets = useMemo(() => list.data?.secrets ?? [], [list.data]);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return [...secrets]
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((s) => {
        const haystack = [s.name, ...s.usedBy].join(' ').toLowerCase();
        return words.every((w) => haystack.includes(w));
      });
  }, [secrets, filter]);
  const selected = shown.find((s) => s.name === selectedName) ?? null;
  const dialogSecret =
    dialog && dialog.kind !== 'new' ? (secrets.find((s) => s.name === dialog.name) ?? null) : null;

  function select(name: string | null): void {
    setSelectedName(name);
    if (name !== null) rowRefs.current.get(name)?.focus();
  }
  function open(next: Dialog): void {
    if (!usable) return;
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
      select(shown[to]?.name ?? null);
    },
    open: () => {
      if (selected) open({ kind: 'set', name: selected.name });
    },
    create: () => open({ kind: 'new' }),
    filter: () => {
      filterRef.current?.focus();
      filterRef.current?.select();
    },
  });

  const setDone = ({ name, replaced }: { name: string; replaced: boolean }) => {
    setDialog(null);
    setSelectedName(name);
    setNotice(t(replaced ? 'secrets.done.replaced' : 'secrets.done.set', { name }));
  };
  const deleteDone = ({ name, stillUsedBy }: { name: string; stillUsedBy: readonly string[] }) => {
    setDialog(null);
    setNotice(
      stillUsedBy.length > 0
        ? t('secrets.done.deletedUsed', { name, count: fmt.number(stillUsedBy.length) })
        : t('secrets.done.deleted', { name }),
    );
  };

  // Until the engine says who is here, neither refuse nor ask.
  if (session === null)
    return (
      <section className="admin" data-testid="secrets-view">
        <p role="status">{t('secrets.loading')}</p>
      </section>
    );
  if (!access.allowed)
    return (
      <section className="admin" data-testid="secrets-view">
        <h2>{t('secrets.title')}</h2>
        <p className="admin-banner" role="alert" data-testid="secrets-denied">
          {access.reason}
        </p>
      </section>
    );

  return (
    <section className="admin" aria-labelledby="secrets-title" data-testid="secrets-view">
      <header className="admin__header">
        <h2 id="secrets-title">{t('secrets.title')}</h2>
        <p className="admin__intro">{t('secrets.intro')}</p>
      </header>
      {unavailable !== null && (
        <div className="admin-banner admin-banner--alert" role="alert" data-testid="secrets-unavailable">
          <p className="admin-banner__title">
            <span aria-hidden="true">⛔ </span>
            <strong>{t('secrets.unavailable.title')}</strong>
          </p>
          <p data-testid="secrets-unavailable-reason">
            {t('secrets.unavailable.reason', { reason: unavailable })}
          </p>
          <p>{t('secrets.unavailable.effect')}</p>
        </div>
      )}
      <div className="admin__tools">
        <FilterBox
          ref={filterRef}
          value={filter}
          shown={shown.length}
          total={secrets.length}
          onChange={setFilter}
          onLeave={() => select(selected?.name ?? shown[0]?.name ?? null)}
          texts={{
            label: t('secrets.filter.label'),
            placeholder: t('secrets.filter.placeholder'),
            result: (s, total) => t('secrets.filter.result', { shown: s, total }),
          }}
          testId="secrets-filter"
        />
        <button
          type="button"
          className="button admin-primary"
          onClick={() => open({ kind: 'new' })}
          disabled={!usable}
          aria-keyshortcuts="n"
          data-testid="secrets-new"
        >
          {t('secrets.new')}
        </button>
      </div>
      <ListStates
        name="secrets"
        notice={notice}
        query={list}
        total={secrets.length}
        shown={shown.length}
        text={{
          failed: t('secrets.failed'),
          loading: t('secrets.loading'),
          empty: t('secrets.empty'),
          noMatch: t('secrets.noMatch'),
        }}
      />
      {shown.length > 0 && (
        <table className="admin-table" data-testid="secrets-table">
          <thead>
            <tr>
              <th scope="col">{t('secrets.column.name')}</th>
              <th scope="col">{t('secrets.column.state')}</th>
              <th scope="col">{t('secrets.column.updated')}</th>
              <th scope="col">{t('secrets.column.usedBy')}</th>
              <th scope="col">{t('secrets.column.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((secret) => (
              <SecretRow
                key={secret.name}
                secret={secret}
                selected={secret.name === selected?.name}
                tabbable={secret.name === selected?.name || (selected === null && secret === shown[0])}
                usable={usable}
                rowRef={(el) => {
                  if (el) rowRefs.current.set(secret.name, el);
                  else rowRefs.current.delete(secret.name);
                }}
                onSelect={() => setSelectedName(secret.name)}
                onSet={() => open({ kind: 'set', name: secret.name })}
                onDelete={() => open({ kind: 'delete', name: secret.name })}
              />
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'new' && (
        <SetSecretDialog secret={null} onDone={setDone} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'set' && dialogSecret && (
        <SetSecretDialog secret={dialogSecret} onDone={setDone} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'delete' && dialogSecret && (
        <DeleteSecretDialog secret={dialogSecret} onDone={deleteDone} onClose={() => setDialog(null)} />
      )}
    </section>
  );
}

interface SecretRowProps {
  readonly secret: SecretSummary;
  readonly selected: boolean;
  readonly tabbable: boolean;
  readonly usable: boolean;
  readonly rowRef: (el: HTMLTableRowElement | null) => void;
  readonly onSelect: () => void;
  readonly onSet: () => void;
  readonly onDelete: () => void;
}

function SecretRow({
  secret,
  selected,
  tabbable,
  usable,
  rowRef,
  onSelect,
  onSet,
  onDelete,
}: SecretRowProps) {
  const { t, fmt } = useI18n();
  return (
    <tr
      ref={rowRef}
      className={`admin-row${secret.configured ? '' : ' admin-row--missing'}`}
      tabIndex={tabbable ? 0 : -1}
      aria-selected={selected}
      onClick={onSelect}
      onFocus={onSelect}
      data-row
      data-secret-name={secret.name}
      data-configured={secret.configured}
      data-testid="secret-row"
    >
      <td>
        <code>{secret.name}</code>
      </td>
      <td data-testid="secret-state">
        {secret.configured ? (
          <span className="admin-flag admin-flag--ok">
            <span aria-hidden="true">✔ </span>
            {t('secrets.state.configured')}
          </span>
        ) : (
          <span className="admin-flag admin-flag--missing">
            <span aria-hidden="true">⚠ </span>
            {t('secrets.state.notSet')}
          </span>
        )}
      </td>
      <td>
        {secret.updatedAt === null ? (
          <span className="admin-muted">{t('secrets.updated.never')}</span>
        ) : (
          <time dateTime={new Date(secret.updatedAt).toISOString()}>{fmt.dateTime(secret.updatedAt)}</time>
        )}
      </td>
      <td data-testid="secret-used-by">
        {secret.usedBy.length === 0 ? (
          <span className="admin-muted">{t('secrets.unused')}</span>
        ) : (
          <ul className="admin-paths">
            {secret.usedBy.map((path) => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <div
          className="admin-row__actions"
          role="group"
          aria-label={t('admin.rowActions', { name: secret.name })}
        >
          <button
            type="button"
            className="button button--small"
            onClick={onSet}
            disabled={!usable}
            data-testid="secret-set-open"
          >
            {t(secret.configured ? 'secrets.action.replace' : 'secrets.action.set')}
          </button>
          {secret.configured && (
            <button
              type="button"
              className="button button--small"
              onClick={onDelete}
              disabled={!usable}
              data-testid="secret-delete-open"
            >
              {t('secrets.action.delete')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
