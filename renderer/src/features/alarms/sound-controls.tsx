/**
 * The seat's sound controls, with their state always visible: sounding (and what), muted, silenced
 * until when, or waiting for the click that lets the browser play sound; and the desktop
 * notification permission, asked on a click (browsers refuse to ask otherwise).
 */
import { useId, useState } from 'react';
import { useClockDerived, useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useAlarmSound, type AlarmSound } from './alarm-sound-context';
import { SeverityIcon } from './severity-icon';

const SILENCE_MINUTES = [5, 15, 30, 60] as const;

/** A speaker, with sound waves when sound is on, crossed out when it is held back. */
export function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg
      className="speaker-icon"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
      data-icon={on ? 'sound-on' : 'sound-off'}
    >
      <path d="M1.5 5.5 H4.5 L8.5 2 V14 L4.5 10.5 H1.5 Z" fill="currentColor" />
      {on ? (
        <path
          d="M10.8 5.2 A4 4 0 0 1 10.8 10.8 M12.6 3.4 A6.5 6.5 0 0 1 12.6 12.6"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinecap="round"
        />
      ) : (
        <path
          d="M10.5 5.5 L15 10.5 M15 5.5 L10.5 10.5"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinecap="round"
        />
      )}
    </svg>
  );
}

function SoundState({ sound }: { sound: AlarmSound }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  const { decision, preferences } = sound;
  let text: string;
  let state: string;
  if (!sound.available) [state, text] = ['unavailable', t('alarms.sound.unavailable')];
  else if (sound.wall && !preferences.onWall) [state, text] = ['wall', t('alarms.sound.wallOff')];
  else if (preferences.muted) [state, text] = ['muted', t('alarms.sound.muted')];
  else if (preferences.silencedUntil !== null && now < preferences.silencedUntil)
    [state, text] = [
      'silenced',
      t('alarms.sound.silenced', { time: fmt.time(preferences.silencedUntil, now) }),
    ];
  else if (decision.kind === 'play')
    [state, text] = [
      'playing',
      t('alarms.sound.playing', { severity: t(`alarm.severity.${decision.severity}`) }),
    ];
  else [state, text] = ['on', t('alarms.sound.on')];
  return (
    <span
      className={`alarm-sound__state alarm-sound__state--${state}`}
      data-testid="sound-state"
      data-state={state}
    >
      <SpeakerIcon on={state === 'playing' || state === 'on'} />{' '}
      {decision.kind === 'play' && <SeverityIcon severity={decision.severity} />} {text}
    </span>
  );
}

function NotificationPermission() {
  const { t } = useI18n();
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(() => (supported ? Notification.permission : 'denied'));
  if (!supported || permission === 'granted') return null;
  if (permission === 'denied')
    return (
      <span className="alarm-sound__note" data-testid="notify-denied">
        {t('alarms.notify.denied')}
      </span>
    );
  return (
    <button
      type="button"
      className="button button--small"
      onClick={() => void Notification.requestPermission().then(setPermission)}
      data-testid="notify-enable"
    >
      {t('alarms.notify.enable')}
    </button>
  );
}

export function SoundControls() {
  const { t, fmt } = useI18n();
  const sound = useAlarmSound();
  const hintId = useId();
  const silenceId = useId();
  const [minutes, setMinutes] = useState<number>(15);
  const until = sound?.preferences.silencedUntil ?? null;
  const silenced = useClockDerived((now) => until !== null && now < until);
  if (!sound) return null;
  const { preferences } = sound;
  return (
    <div className="alarm-sound" role="group" aria-label={t('alarms.sound.label')} data-testid="alarm-sound">
      <SoundState sound={sound} />
      {sound.available && !sound.allowed && (
        // Any click is the gesture the browser waits for; this one says so.
        <button
          type="button"
          className="button button--small"
          aria-describedby={hintId}
          data-testid="sound-enable"
        >
          {t('alarms.sound.enable')}
        </button>
      )}
      {sound.available && !sound.allowed && (
        <span className="visually-hidden" id={hintId}>
          {t('alarms.sound.enableHint')}
        </span>
      )}
      <button
        type="button"
        className="button button--small"
        aria-pressed={preferences.muted}
        onClick={preferences.muted ? sound.unmute : sound.mute}
        data-testid="sound-mute"
      >
        {t(preferences.muted ? 'alarms.sound.unmute' : 'alarms.sound.mute')}
      </button>
      {silenced ? (
        <button
          type="button"
          className="button button--small"
          onClick={sound.resume}
          data-testid="sound-resume"
        >
          {t('alarms.sound.resume')}
        </button>
      ) : (
        <span className="alarm-sound__silence">
          <label htmlFor={silenceId} className="visually-hidden">
            {t('alarms.sound.silence')}
          </label>
          <button
            type="button"
            className="button button--small"
            onClick={() => sound.silence(minutes)}
            data-testid="sound-silence"
          >
            {t('alarms.sound.silence')}
          </button>
          <select
            id={silenceId}
            className="alarm-select"
            value={minutes}
            onChange={(event) => setMinutes(Number(event.target.value))}
            data-testid="sound-silence-minutes"
          >
            {SILENCE_MINUTES.map((m) => (
              <option key={m} value={m}>
                {t('alarms.sound.silenceMinutes', { minutes: fmt.number(m) })}
              </option>
            ))}
          </select>
        </span>
      )}
      {/* Kept per seat: it applies whenever this seat shows the wall display (g w). */}
      <label className="alarm-sound__wall">
        <input
          type="checkbox"
          checked={preferences.onWall}
          onChange={(event) => sound.setOnWall(event.target.checked)}
          data-testid="sound-on-wall"
        />{' '}
        {t('alarms.sound.onWall')}
      </label>
      <NotificationPermission />
    </div>
  );
}
