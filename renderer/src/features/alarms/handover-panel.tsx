/**
 * The shift handover: the digest of the shift as it stands (`handover.draft`: counts, outstanding,
 * acknowledged and snoozed alarms, escalations in progress, how many were raised since the last
 * handover), the outgoing operator's notes, and "Hand over" (`handover.submit`). Past handovers
 * are listed; the latest one not yet taken is offered to the incoming operator ("Take the shift",
 * `handover.acknowledge`). Every seat sees a handover or a take at once (`handover.changed`).
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { Handover, HandoverDigest } from '../../../../shared/api';
import type { Alarm } from '../../../../shared/domain/alarm';
import { ApiErrorNotice } from '../../components/api-error-notice';
import {
  useAcknowledgeHandover,
  useDirectory,
  useHandoverDraft,
  useHandovers,
  useSubmitHandover,
} from '../../lib/api/alarm-queries';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isPlainShortcut } from '../../lib/keyboard';
import { AlarmCounts } from './alarm-counts';
import { EscalationText } from './alarm-table';
import { assigneeText, causeText, type TextContext } from './alarm-text';
import { SeverityBadge } from './severity-icon';
import { useTextContext } from './use-text-context';

function DigestAlarm({ alarm, context, extra }: { alarm: Alarm; context: TextContext; extra?: ReactNode }) {
  const zone = alarm.subject.zoneId;
  return (
    <li className="handover-alarm" data-testid="handover-alarm" data-alarm-id={alarm.id}>
      <SeverityBadge severity={alarm.severity} /> <strong>{alarm.subject.name}</strong>{' '}
      <span className="alarm-muted">
        {zone === null ? context.t('alarms.zone.none') : context.zoneName(zone)}
      </span>{' '}
      {causeText(context, alarm.cause)}
      {extra && <span className="alarm-muted"> · {extra}</span>}
    </li>
  );
}

/** One list of the digest: its alarms, each with what matters for it (who acknowledged, until when). */
function DigestList({
  kind,
  items,
}: {
  kind: 'outstanding' | 'acknowledged' | 'snoozed' | 'escalating';
  items: readonly { readonly alarm: Alarm; readonly extra?: ReactNode }[];
}) {
  const context = useTextContext();
  const { t, fmt } = context;
  return (
    <section className="handover__list" data-testid={`handover-${kind}`} data-count={items.length}>
      <h3 className="alarm-detail__subtitle">{t(`handover.${kind}`, { count: fmt.number(items.length) })}</h3>
      {items.length === 0 ? (
        <p className="alarm-muted">{t('handover.empty')}</p>
      ) : (
        <ul>
          {items.map(({ alarm, extra }) => (
            <DigestAlarm key={alarm.id} alarm={alarm} context={context} extra={extra} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Digest({ digest }: { digest: HandoverDigest }) {
  const context = useTextContext();
  const { t, fmt } = context;
  const directory = useDirectory().data;
  const now = useNow();
  return (
    <div className="handover__digest" data-testid="handover-digest">
      <AlarmCounts counts={digest.counts} label={t('handover.counts')} />
      <p data-testid="handover-raised">
        {t('handover.raisedSince', {
          count: fmt.number(digest.raisedCount),
          time: fmt.time(digest.raisedSince, now),
        })}
      </p>
      <DigestList kind="outstanding" items={digest.outstanding.map((alarm) => ({ alarm }))} />
      <DigestList
        kind="acknowledged"
        items={digest.acknowledged.map((alarm) => ({
          alarm,
          extra: alarm.ack
            ? `${t('alarms.detail.ackBy', { by: alarm.ack.by, time: fmt.time(alarm.ack.at, now) })}: ${alarm.ack.comment}`
            : assigneeText(t, alarm.assignee, directory),
        }))}
      />
      <DigestList
        kind="snoozed"
        items={digest.snoozed.map((alarm) => {
          const until = alarm.ack?.until ?? null;
          return {
            alarm,
            extra: until === null ? undefined : `${t('alarms.detail.ackUntil')} ${fmt.time(until, now)}`,
          };
        })}
      />
      <DigestList
        kind="escalating"
        items={digest.escalating.map(({ alarm, escalation }) => ({
          alarm,
          extra: <EscalationText escalation={escalation} />,
        }))}
      />
    </div>
  );
}

function digestSummary(context: TextContext, digest: HandoverDigest): string {
  return context.t('handover.summary', {
    outstanding: context.fmt.number(digest.outstanding.length),
    acknowledged: context.fmt.number(digest.acknowledged.length),
    snoozed: context.fmt.number(digest.snoozed.length),
  });
}

function TakeShift({ handover, blockedBy }: { handover: Handover; blockedBy: string | null }) {
  const context = useTextContext();
  const { t, fmt } = context;
  const id = useId();
  const take = useAcknowledgeHandover();
  const [comment, setComment] = useState('');
  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    take.mutate({ id: handover.id, comment: comment.trim() });
  }
  return (
    <form className="handover__take" onSubmit={onSubmit} data-testid="handover-take">
      <p className="handover__pending">
        <strong>
          {t('handover.toTake', { by: handover.createdBy, time: fmt.dateTime(handover.createdAt) })}
        </strong>
      </p>
      <p className="handover__notes">
        {handover.notes.trim() === '' ? t('handover.noNotes') : handover.notes}
      </p>
      <p className="alarm-muted">{digestSummary(context, handover.digest)}</p>
      <label className="alarm-form__field" htmlFor={`${id}-comment`}>
        <span>{t('handover.takeComment')}</span>
      </label>
      <input
        id={`${id}-comment`}
        className="alarm-input"
        value={comment}
        maxLength={2000}
        onChange={(event) => setComment(event.target.value)}
        data-testid="handover-take-comment"
      />
      {take.isError && (
        <ApiErrorNotice error={take.error} title={t('handover.takeFailed')} testId="handover-take-error" />
      )}
      <button
        type="submit"
        className="button alarm-primary"
        disabled={blockedBy !== null || take.isPending}
        aria-describedby={blockedBy ?? undefined}
        data-testid="handover-take-submit"
      >
        {t('handover.take')}
      </button>
    </form>
  );
}

function PastHandover({ handover }: { handover: Handover }) {
  const context = useTextContext();
  const { t, fmt } = context;
  return (
    <li className="handover__past-item" data-testid="handover-past" data-handover-id={handover.id}>
      <p>
        <strong>
          {t('handover.by', { by: handover.createdBy, time: fmt.dateTime(handover.createdAt) })}
        </strong>
        {' · '}
        <span data-testid="handover-taken">
          {handover.acknowledgedAt === null
            ? t('handover.awaiting')
            : t('handover.takenBy', {
                by: handover.acknowledgedBy ?? '?',
                time: fmt.dateTime(handover.acknowledgedAt),
              })}
        </span>
      </p>
      <p className="handover__notes">
        {handover.notes.trim() === '' ? t('handover.noNotes') : handover.notes}
      </p>
      <p className="alarm-muted">{digestSummary(context, handover.digest)}</p>
    </li>
  );
}

export interface HandoverPanelProps {
  readonly onBack: () => void;
  /** Null when this seat may act; otherwise the id of the element that says why not. */
  readonly blockedBy: string | null;
}

export function HandoverPanel({ onBack, blockedBy }: HandoverPanelProps) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const notesId = useId();
  const draft = useHandoverDraft();
  const handovers = useHandovers();
  const submit = useSubmitHandover();
  const [notes, setNotes] = useState('');
  const now = useNow();

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (event.key === 'Escape' && isPlainShortcut(event)) {
        event.preventDefault();
        onBack();
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onBack]);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    submit.mutate(notes, { onSuccess: () => setNotes('') });
  }

  const latest = handovers.data?.handovers[0];
  return (
    <section className="handover" aria-labelledby={headingId} data-testid="handover">
      <div className="alarms__toolbar">
        <h1 className="alarms__title" id={headingId}>
          {t('handover.title')}
        </h1>
        <button
          type="button"
          className="button"
          onClick={onBack}
          aria-keyshortcuts="Escape"
          data-testid="handover-back"
        >
          {t('handover.back')}
        </button>
      </div>
      {latest && latest.acknowledgedAt === null && <TakeShift handover={latest} blockedBy={blockedBy} />}
      <section className="handover__section">
        <h2 className="handover__subtitle">{t('handover.draft')}</h2>
        {draft.data ? (
          <Digest digest={draft.data} />
        ) : draft.isError ? (
          <ApiErrorNotice error={draft.error} title={t('handover.failed')} testId="handover-draft-error" />
        ) : (
          <p className="panel-message">{t('handover.loading')}</p>
        )}
        <form className="alarm-form" onSubmit={onSubmit}>
          <label className="alarm-form__field" htmlFor={notesId}>
            <span>{t('handover.notes')}</span>
            <span className="alarm-muted">{t('handover.notesHint')}</span>
          </label>
          <textarea
            id={notesId}
            className="alarm-input"
            rows={5}
            maxLength={20_000}
            value={notes}
            onChange={(event) => setNotes(event.target.value)}
            data-testid="handover-notes"
          />
          {submit.isError && (
            <ApiErrorNotice
              error={submit.error}
              title={t('handover.submitFailed')}
              testId="handover-submit-error"
            />
          )}
          {submit.isSuccess && (
            <p role="status" data-testid="handover-submitted">
              {t('handover.submitted', { time: fmt.time(submit.data.createdAt, now) })}
            </p>
          )}
          <div className="alarm-form__actions">
            <button
              type="submit"
              className="button alarm-primary"
              disabled={blockedBy !== null || submit.isPending}
              aria-describedby={blockedBy ?? undefined}
              data-testid="handover-submit"
            >
              {t('handover.submit')}
            </button>
          </div>
        </form>
      </section>
      <section className="handover__section">
        <h2 className="handover__subtitle">{t('handover.past')}</h2>
        {handovers.isError && (
          <ApiErrorNotice
            error={handovers.error}
            title={t('handover.listFailed')}
            testId="handover-list-error"
          />
        )}
        {handovers.data && handovers.data.handovers.length === 0 && (
          <p className="alarm-muted">{t('handover.none')}</p>
        )}
        <ul className="handover__past">
          {(handovers.data?.handovers ?? []).map((handover) => (
            <PastHandover key={handover.id} handover={handover} />
          ))}
        </ul>
      </section>
    </section>
  );
}
