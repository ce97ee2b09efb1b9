/**
 * The operator actions on an alarm, their keys, and when the alarm's state rules one out (the
 * same rules as shared/domain/alarm.ts; the engine checks again and answers CONFLICT when the
 * state moved on meanwhile).
 */
import type { Alarm } from '../../../../shared/domain/alarm';
import { missingCase } from '../../../../shared/domain/missing-case';

export const ALARM_ACTION_KINDS = [
  'acknowledge',
  'snooze',
  'escalate',
  'unacknowledge',
  'resolve',
  'close',
  'setSeverity',
  'assign',
] as const;
export type AlarmActionKind = (typeof ALARM_ACTION_KINDS)[number];

/** Single keys of the list (the detail pane has buttons for the others). */
export const ACTION_KEYS = {
  acknowledge: 'a',
  snooze: 's',
  escalate: 'e',
  unacknowledge: 'u',
  resolve: 'r',
  close: 'c',
} as const satisfies Partial<Record<AlarmActionKind, string>>;
export type KeyedAction = keyof typeof ACTION_KEYS;
export const KEYED_ACTIONS = Object.keys(ACTION_KEYS) as KeyedAction[];

export function actionForKey(key: string): KeyedAction | null {
  return KEYED_ACTIONS.find((action) => ACTION_KEYS[action] === key) ?? null;
}

/** Actions whose comment the engine requires. */
export function needsComment(action: AlarmActionKind): boolean {
  return action !== 'close' && action !== 'assign';
}

/** Why the alarm's state rules the action out, or null when it does not. */
export function stateBlocker(action: AlarmActionKind, alarm: Alarm): 'state' | 'closeNeedsResolved' | null {
  const finished = alarm.state === 'resolved' || alarm.state === 'closed';
  switch (action) {
    case 'acknowledge':
    case 'snooze':
    case 'escalate':
    case 'resolve':
      return finished ? 'state' : null;
    case 'unacknowledge':
      return alarm.state === 'acknowledged' || alarm.state === 'snoozed' ? null : 'state';
    case 'close':
      return alarm.state === 'resolved' ? null : 'closeNeedsResolved';
    case 'setSeverity':
    case 'assign':
      return alarm.state === 'closed' ? 'state' : null;
    default:
      throw missingCase(action);
  }
}
