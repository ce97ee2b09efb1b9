/** Alarms in words: causes from their code and parameters, countdowns, escalation, assignees. */
import type { Directory, EscalationStatus } from '../../../../shared/api';
import type { AlarmCause, Assignee } from '../../../../shared/domain/alarm';
import { catalogs, isMessageKey, type Locale } from '../../../../shared/i18n';
import type { Formatters } from '../../lib/i18n/formatters';
import type { Translate } from '../../lib/i18n/i18n-context';

export interface TextContext {
  readonly t: Translate;
  readonly fmt: Formatters;
  readonly locale: Locale;
  /** A zone's name from its id (the id itself when unknown). */
  readonly zoneName: (zoneId: string) => string;
}

function paramText(context: TextContext, name: string, value: string | number): string {
  if (typeof value === 'number') return context.fmt.number(value, { maximumFractionDigits: 2 });
  if (name === 'reading') {
    const key = `reading.${value}`;
    if (isMessageKey(key)) return context.t(key);
  }
  if (name === 'zone') return context.zoneName(value);
  return value;
}

/**
 * The cause, translated from `alarm.cause.<code>` with its parameters; a parameter the text needs
 * but the engine did not send shows as "?", and a code the console does not know shows as itself
 * (never a blank cell). A trap's interface or instance follows in brackets.
 */
export function causeText(context: TextContext, cause: AlarmCause): string {
  const key = `alarm.cause.${cause.code}`;
  if (!isMessageKey(key)) return cause.code;
  const params: Record<string, string> = {};
  for (const [, name] of catalogs[context.locale][key].matchAll(/\{(\w+)\}/g))
    if (name !== undefined) params[name] = context.t('alarm.cause.missingParam');
  for (const [name, value] of Object.entries(cause.params)) params[name] = paramText(context, name, value);
  const text = context.t(key, params);
  if (!cause.code.startsWith('trap.')) return text;
  const detail = cause.params['ifName'] ?? cause.params['instance'];
  if (detail === undefined || detail === '') return text;
  return context.t('alarm.cause.detail', { cause: text, detail: String(detail) });
}

/** `04:05` for a delay, `1:04:05` from an hour on; past delays count as zero. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** Where an escalation stands: held and why, finished, or the next step and when it runs. */
export function escalationText(
  t: Translate,
  escalation: EscalationStatus | null | undefined,
  now: number,
): string {
  if (!escalation) return t('alarms.escalation.none');
  if (escalation.held !== null) return t(`alarms.escalation.held.${escalation.held}`);
  if (escalation.step >= escalation.stepCount)
    return t('alarms.escalation.done', { count: escalation.stepCount });
  const parts = [t('alarms.escalation.step', { step: escalation.step + 1, count: escalation.stepCount })];
  if (escalation.nextAt !== null)
    parts.push(
      escalation.nextAt > now
        ? t('alarms.escalation.next', { time: countdown(escalation.nextAt - now) })
        : t('alarms.escalation.due'),
    );
  if (escalation.cycle > 0) parts.push(t('alarms.escalation.round', { round: escalation.cycle + 1 }));
  return parts.join(', ');
}

/** A person's or a team's name from the directory (the id when the directory does not know it). */
export function assigneeText(
  t: Translate,
  assignee: Assignee | null,
  directory: Directory | undefined,
): string {
  if (assignee === null) return t('alarms.assignee.none');
  if (assignee.kind === 'team') {
    const team = directory?.teams.find((candidate) => candidate.id === assignee.id);
    return t('alarms.assignee.team', { name: team?.name ?? assignee.id });
  }
  return directory?.people.find((candidate) => candidate.id === assignee.id)?.name ?? assignee.id;
}

/** Lower case, without accents: what the free-text filter compares. */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
