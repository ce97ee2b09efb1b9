/**
 * One dialog for every action on an alarm: the comment (required where the engine requires it,
 * checked here first so the operator is told at once), and what the action needs besides
 * (sticky for an acknowledgement, a duration for a snooze, a severity, an assignee). What the
 * engine refuses (CONFLICT: the alarm changed meanwhile; FORBIDDEN; VALIDATION) is shown here,
 * with its reference, and the dialog stays open.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Directory } from '../../../../shared/api';
import {
  ALARM_SEVERITIES,
  type Alarm,
  type AlarmSeverity,
  type Assignee,
} from '../../../../shared/domain/alarm';
import { missingCase } from '../../../../shared/domain/missing-case';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { OverlayDialog } from '../../components/overlay-dialog';
import { useAlarmAction, type AlarmActionRequest } from '../../lib/api/alarm-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { needsComment, type AlarmActionKind } from './alarm-actions';
import { assigneeText } from './alarm-text';
import { DialogActions } from './dialog-actions';

const SNOOZE_CHOICES = [
  { minutes: 15, label: 'alarms.dialog.minutes15' },
  { minutes: 60, label: 'alarms.dialog.hour1' },
  { minutes: 240, label: 'alarms.dialog.hours4' },
] as const;
const MAX_SNOOZE_MINUTES = 7 * 24 * 60;

type Problem = 'comment' | 'minutes' | 'severity';

function assigneeValue(assignee: Assignee | null): string {
  return assignee === null ? '' : `${assignee.kind}:${assignee.id}`;
}

function parseAssignee(value: string): Assignee | null {
  const [kind, ...rest] = value.split(':');
  const id = rest.join(':');
  return (kind === 'person' || kind === 'team') && id !== '' ? { kind, id } : null;
}

export interface AlarmActionDialogProps {
  readonly action: AlarmActionKind;
  readonly alarm: Alarm;
  readonly directory: Directory | undefined;
  readonly onClose: () => void;
}

export function AlarmActionDialog({ action, alarm, directory, onClose }: AlarmActionDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const mutation = useAlarmAction();
  const [comment, setComment] = useState('');
  const [sticky, setSticky] = useState(false);
  const [duration, setDuration] = useState<number | 'custom'>(15);
  const [customMinutes, setCustomMinutes] = useState('');
  const [severity, setSeverity] = useState<AlarmSeverity>(alarm.severity);
  const [assignee, setAssignee] = useState(assigneeValue(alarm.assignee));
  const [problem, setProblem] = useState<Problem | null>(null);
  const required = needsComment(action);

  function request(): AlarmActionRequest | Problem {
    const text = comment.trim();
    if (required && text === '') return 'comment';
    const target = alarm.id;
    switch (action) {
      case 'acknowledge':
        return {
          channel: 'alarms.acknowledge',
          request: { id: target, comment: text, mode: sticky ? 'sticky' : 'normal' },
        };
      case 'snooze': {
        const minutes = duration === 'custom' ? Number(customMinutes) : duration;
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SNOOZE_MINUTES) return 'minutes';
        return { channel: 'alarms.snooze', request: { id: target, comment: text, minutes } };
      }
      case 'escalate':
        return { channel: 'alarms.escalate', request: { id: target, comment: text } };
      case 'unacknowledge':
        return { channel: 'alarms.unacknowledge', request: { id: target, comment: text } };
      case 'resolve':
        return { channel: 'alarms.resolve', request: { id: target, comment: text } };
      case 'close':
        return { channel: 'alarms.close', request: { id: target, comment: text } };
      case 'setSeverity':
        if (severity === alarm.severity) return 'severity';
        return { channel: 'alarms.setSeverity', request: { id: target, severity, comment: text } };
      case 'assign':
        return {
          channel: 'alarms.assign',
          request: { id: target, assignee: parseAssignee(assignee), comment: text },
        };
      default:
        throw missingCase(action);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const built = request();
    if (typeof built === 'string') {
      setProblem(built);
      return;
    }
    setProblem(null);
    mutation.mutate(built, { onSuccess: onClose });
  }

  const commentError = problem === 'comment';
  const onCall = (directory?.schedules ?? []).flatMap((s) => (s.onCall === null ? [] : [s.onCall]));
  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="alarm-action-dialog">
      <form className="alarm-form" onSubmit={onSubmit} noValidate data-action={action}>
        <h2 className="detail__title" id={`${id}-title`}>
          {t(`alarms.dialog.title.${action}`, { name: alarm.subject.name })}
        </h2>
        {action === 'escalate' && <p className="alarm-muted">{t('alarms.dialog.escalateHint')}</p>}
        {action === 'resolve' && <p className="alarm-muted">{t('alarms.dialog.resolveHint')}</p>}
        {action === 'close' && <p className="alarm-muted">{t('alarms.dialog.closeHint')}</p>}

        {action === 'snooze' && (
          <fieldset className="alarm-form__choices">
            <legend>{t('alarms.dialog.duration')}</legend>
            {SNOOZE_CHOICES.map((choice) => (
              <label key={choice.minutes} className="alarm-form__choice">
                <input
                  type="radio"
                  name={`${id}-duration`}
                  checked={duration === choice.minutes}
                  onChange={() => setDuration(choice.minutes)}
                />{' '}
                {t(choice.label)}
              </label>
            ))}
            <label className="alarm-form__choice">
              <input
                type="radio"
                name={`${id}-duration`}
                checked={duration === 'custom'}
                onChange={() => setDuration('custom')}
                data-testid="snooze-custom"
              />{' '}
              {t('alarms.dialog.custom')}
            </label>
            {duration === 'custom' && (
              <label className="alarm-form__field">
                <span>{t('alarms.dialog.customMinutes')}</span>
                <input
                  className="alarm-input alarm-input--narrow"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_SNOOZE_MINUTES}
                  step={1}
                  value={customMinutes}
                  aria-invalid={problem === 'minutes'}
                  aria-describedby={problem === 'minutes' ? `${id}-minutes-error` : undefined}
                  onChange={(event) => setCustomMinutes(event.target.value)}
                  data-testid="snooze-minutes"
                />
              </label>
            )}
            {problem === 'minutes' && (
              <p className="alarm-form__error" id={`${id}-minutes-error`} role="alert">
                {t('alarms.dialog.customInvalid')}
              </p>
            )}
          </fieldset>
        )}

        {action === 'setSeverity' && (
          <label className="alarm-form__field">
            <span>{t('alarms.dialog.severity')}</span>
            <select
              className="alarm-select"
              value={severity}
              aria-invalid={problem === 'severity'}
              onChange={(event) => setSeverity(event.target.value as AlarmSeverity)}
              data-testid="severity-choice"
            >
              {ALARM_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`alarm.severity.${s}`)}
                </option>
              ))}
            </select>
            <span className="alarm-muted">
              {t('alarms.dialog.current', { value: t(`alarm.severity.${alarm.severity}`) })}
            </span>
            {problem === 'severity' && (
              <span className="alarm-form__error" role="alert">
                {t('alarms.dialog.sameSeverity')}
              </span>
            )}
          </label>
        )}

        {action === 'assign' && (
          <label className="alarm-form__field">
            <span>{t('alarms.dialog.assignee')}</span>
            <select
              className="alarm-select"
              value={assignee}
              onChange={(event) => setAssignee(event.target.value)}
              data-testid="assignee-choice"
            >
              <option value="">{t('alarms.dialog.nobody')}</option>
              <optgroup label={t('alarms.dialog.people')}>
                {(directory?.people ?? []).map((person) => (
                  <option key={person.id} value={`person:${person.id}`}>
                    {person.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('alarms.dialog.teams')}>
                {(directory?.teams ?? []).map((team) => (
                  <option key={team.id} value={`team:${team.id}`}>
                    {team.name}
                  </option>
                ))}
              </optgroup>
            </select>
            <span className="alarm-muted">
              {t('alarms.dialog.current', { value: assigneeText(t, alarm.assignee, directory) })}
            </span>
            {onCall.length > 0 && (
              <span className="alarm-muted">
                {t('alarms.dialog.onCall', {
                  names: onCall
                    .map((who) => assigneeText(t, { kind: 'person', id: who }, directory))
                    .join(', '),
                })}
              </span>
            )}
            {!directory && <span className="alarm-form__error">{t('alarms.dialog.directoryFailed')}</span>}
          </label>
        )}

        <label className="alarm-form__field">
          <span>{t(required ? 'alarms.dialog.comment' : 'alarms.dialog.commentOptional')}</span>
          <textarea
            className="alarm-input"
            rows={3}
            value={comment}
            required={required}
            aria-required={required}
            aria-invalid={commentError}
            aria-describedby={commentError ? `${id}-comment-error` : undefined}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
            data-autofocus
            data-testid="alarm-comment"
          />
        </label>
        {commentError && (
          <p
            className="alarm-form__error"
            id={`${id}-comment-error`}
            role="alert"
            data-testid="comment-required"
          >
            {t('alarms.dialog.commentRequired')}
          </p>
        )}
        {action === 'acknowledge' && (
          <label className="alarm-form__choice">
            <input
              type="checkbox"
              checked={sticky}
              onChange={(event) => setSticky(event.target.checked)}
              data-testid="ack-sticky"
            />{' '}
            {t('alarms.dialog.sticky')}
          </label>
        )}

        {mutation.isError && (
          <ApiErrorNotice
            error={mutation.error}
            title={t('alarms.dialog.failed')}
            testId="alarm-action-error"
          />
        )}
        <DialogActions
          submitLabel={t(`alarms.action.${action}`)}
          pending={mutation.isPending}
          onCancel={onClose}
          submitTestId="alarm-submit"
        />
      </form>
    </OverlayDialog>
  );
}
