/**
 * One alarm in full, beside the list: identity, cause, severity (changeable, with a comment),
 * state and acknowledgement, assignee (a person or a team of the directory, or nobody), where its
 * escalation stands, its children or related alarms, and its history (who, when, what, why). Asked
 * again whenever `alarms.changed` names it (alarm-queries.ts).
 */
import { useId, type ReactNode } from 'react';
import type { Directory, EscalationStatus } from '../../../../shared/api';
import type { Alarm, AlarmHistoryEntry } from '../../../../shared/domain/alarm';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { useAlarmDetail } from '../../lib/api/alarm-queries';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { AlarmActionKind } from './alarm-actions';
import { AlarmMarkers, AlarmStateText, EscalationText } from './alarm-table';
import { assigneeText, causeText, type TextContext } from './alarm-text';
import { SeverityBadge } from './severity-icon';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="alarm-facts__item" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Other alarms (the children of a zone-wide problem, related ones) as a titled list; none: nothing. */
function AlarmLinks({
  title,
  alarms,
  context,
  onSelect,
  testId,
}: {
  title: string;
  alarms: readonly Alarm[];
  context: TextContext;
  onSelect: (id: string) => void;
  testId: string;
}) {
  if (alarms.length === 0) return null;
  return (
    <section className="alarm-detail__section">
      <h3 className="alarm-detail__subtitle">{title}</h3>
      <ul className="alarm-links" data-testid={testId}>
        {alarms.map((alarm) => (
          <li key={alarm.id}>
            <button
              type="button"
              className="alarm-link"
              onClick={() => onSelect(alarm.id)}
              data-alarm-link={alarm.id}
            >
              <SeverityBadge severity={alarm.severity} /> <strong>{alarm.subject.name}</strong>{' '}
              {causeText(context, alarm.cause)} · {context.t(`alarm.state.${alarm.state}`)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function HistoryTable({ entries, context }: { entries: readonly AlarmHistoryEntry[]; context: TextContext }) {
  const { t, fmt } = context;
  const now = useNow();
  if (entries.length === 0) return <p className="alarm-muted">{t('alarms.detail.noHistory')}</p>;
  // Newest first: what happened last is what the next operator needs.
  const ordered = [...entries].sort((a, b) => b.at - a.at);
  return (
    <table className="alarm-history" data-testid="alarm-history">
      <thead>
        <tr>
          <th scope="col">{t('alarms.detail.historyWhen')}</th>
          <th scope="col">{t('alarms.detail.historyWho')}</th>
          <th scope="col">{t('alarms.detail.historyWhat')}</th>
          <th scope="col">{t('alarms.detail.historyComment')}</th>
        </tr>
      </thead>
      <tbody>
        {ordered.map((entry, index) => (
          <tr
            key={`${entry.at}:${entry.action}:${index}`}
            data-testid="history-entry"
            data-action={entry.action}
          >
            <td>
              <time dateTime={new Date(entry.at).toISOString()} title={fmt.dateTime(entry.at)}>
                {fmt.time(entry.at, now)}
              </time>
            </td>
            <td>{entry.actor === 'engine' ? t('alarms.detail.engine') : entry.actor}</td>
            <td>
              {t(`alarm.action.${entry.action}`)}
              {entry.from !== null && entry.from !== entry.to && (
                <span className="alarm-muted">
                  {' '}
                  {t('alarms.detail.stateChange', {
                    from: t(`alarm.state.${entry.from}`),
                    to: t(`alarm.state.${entry.to}`),
                  })}
                </span>
              )}
            </td>
            <td>{entry.comment ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface AlarmDetailPaneProps {
  readonly id: string;
  /** The copy the list holds, shown while the detail loads. */
  readonly held: Alarm | null;
  readonly escalation: EscalationStatus | undefined;
  readonly directory: Directory | undefined;
  readonly context: TextContext;
  /** Null when this seat may act; otherwise the id of the element that says why not. */
  readonly blockedBy: string | null;
  readonly onClose: () => void;
  readonly onSelect: (id: string) => void;
  readonly onAction: (action: AlarmActionKind) => void;
}

export function AlarmDetailPane({
  id,
  held,
  escalation,
  directory,
  context,
  blockedBy,
  onClose,
  onSelect,
  onAction,
}: AlarmDetailPaneProps) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const detail = useAlarmDetail(id);
  const alarm = detail.data?.alarm ?? held;
  const status = detail.data ? detail.data.escalation : escalation;
  const actionButton = (action: 'setSeverity' | 'assign', disabled: boolean) => (
    <button
      type="button"
      className="button button--small"
      disabled={blockedBy !== null || disabled}
      aria-describedby={blockedBy ?? undefined}
      onClick={() => onAction(action)}
      data-testid={`detail-${action}`}
    >
      {t(`alarms.action.${action}`)}
    </button>
  );

  let body: ReactNode;
  if (alarm) {
    const ack = alarm.ack;
    body = (
      <>
        <dl className="alarm-facts">
          <Fact label={t('alarms.detail.subject')} testId="detail-subject">
            {alarm.subject.name} <code className="alarm-muted">{alarm.subject.id}</code>
          </Fact>
          <Fact label={t('alarms.detail.zone')}>
            {alarm.subject.zoneId === null ? t('alarms.zone.none') : context.zoneName(alarm.subject.zoneId)}
          </Fact>
          <Fact label={t('alarms.detail.origin')}>{t(`alarm.origin.${alarm.origin}`)}</Fact>
          <Fact label={t('alarms.detail.key')}>
            <code className="alarm-key">{alarm.key}</code>
          </Fact>
          <Fact label={t('alarms.detail.cause')} testId="detail-cause">
            {causeText(context, alarm.cause)}
          </Fact>
          <Fact label={t('alarms.detail.severity')} testId="detail-severity">
            <SeverityBadge severity={alarm.severity} />{' '}
            {actionButton('setSeverity', alarm.state === 'closed')}
          </Fact>
          <Fact label={t('alarms.detail.state')} testId="detail-state">
            <AlarmStateText alarm={alarm} /> <AlarmMarkers alarm={alarm} />
          </Fact>
          <Fact label={t('alarms.detail.condition')}>
            {t(alarm.active ? 'alarms.detail.active' : 'alarms.detail.inactive')}
          </Fact>
          <Fact label={t('alarms.detail.raised')}>{fmt.dateTime(alarm.raisedAt)}</Fact>
          {alarm.lastRaisedAt !== alarm.raisedAt && (
            <Fact label={t('alarms.detail.lastRaised')}>{fmt.dateTime(alarm.lastRaisedAt)}</Fact>
          )}
          {alarm.resolvedAt !== null && (
            <Fact label={t('alarms.detail.resolvedAt')}>{fmt.dateTime(alarm.resolvedAt)}</Fact>
          )}
          <Fact label={t('alarms.detail.acknowledgement')} testId="detail-ack">
            {ack === null ? (
              t('alarms.detail.noAck')
            ) : (
              <dl className="alarm-facts alarm-facts--nested">
                <Fact label={t('alarms.detail.historyWho')}>
                  {t('alarms.detail.ackBy', { by: ack.by, time: fmt.dateTime(ack.at) })}
                </Fact>
                <Fact label={t('alarms.detail.ackMode')}>{t(`alarm.ackMode.${ack.mode}`)}</Fact>
                {ack.until !== null && (
                  <Fact label={t('alarms.detail.ackUntil')}>{fmt.dateTime(ack.until)}</Fact>
                )}
                <Fact label={t('alarms.detail.ackComment')}>{ack.comment}</Fact>
              </dl>
            )}
          </Fact>
          <Fact label={t('alarms.detail.assignee')} testId="detail-assignee">
            {assigneeText(t, alarm.assignee, directory)} {actionButton('assign', alarm.state === 'closed')}
          </Fact>
          <Fact label={t('alarms.detail.escalation')} testId="detail-escalation">
            <EscalationText escalation={status} />
            {status && (
              <span className="alarm-muted">
                {' '}
                · {t('alarms.escalation.policy', { name: status.policyName })}
              </span>
            )}
          </Fact>
          {alarm.maintenance.length > 0 && (
            <Fact label={t('alarms.detail.maintenance')}>{alarm.maintenance.join(', ')}</Fact>
          )}
        </dl>
        {detail.data && (
          <AlarmLinks
            title={t('alarms.detail.children', { count: fmt.number(detail.data.children.length) })}
            alarms={detail.data.children}
            context={context}
            onSelect={onSelect}
            testId="detail-children"
          />
        )}
        {detail.data && (
          <AlarmLinks
            title={t('alarms.detail.related', { count: fmt.number(detail.data.related.length) })}
            alarms={detail.data.related}
            context={context}
            onSelect={onSelect}
            testId="detail-related"
          />
        )}
        <section className="alarm-detail__section">
          <h3 className="alarm-detail__subtitle">{t('alarms.detail.history')}</h3>
          {detail.data ? (
            <HistoryTable entries={detail.data.history} context={context} />
          ) : detail.isError ? null : (
            <p className="alarm-muted">{t('alarms.detail.loading')}</p>
          )}
        </section>
      </>
    );
  } else if (detail.isError) {
    body = null;
  } else {
    body = <p className="panel-message">{t('alarms.detail.loading')}</p>;
  }

  return (
    <aside
      className="alarm-detail"
      aria-labelledby={headingId}
      data-testid="alarm-detail"
      data-detail-id={id}
    >
      <header className="detail__header">
        <h2 className="detail__title" id={headingId}>
          {t('alarms.detail.title')}
          {alarm && <span className="alarm-detail__name">: {alarm.subject.name}</span>}
        </h2>
        <button
          type="button"
          className="button button--icon"
          onClick={onClose}
          aria-label={t('alarms.detail.close')}
          title={t('alarms.detail.close')}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      {detail.isError && (
        <ApiErrorNotice error={detail.error} title={t('alarms.detail.failed')} testId="alarm-detail-error" />
      )}
      {body}
    </aside>
  );
}
