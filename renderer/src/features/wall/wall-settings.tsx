/** The wall's settings: which items rotate, in which order, and how long each stays. */
import { useId, useState, type FormEvent } from 'react';
import { OverlayDialog } from '../../components/overlay-dialog';
import { useI18n } from '../../lib/i18n/i18n-context';
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS, type WallConfig } from './wall-config';

export interface WallChoice {
  readonly id: string;
  readonly title: string;
}

export interface WallSettingsProps {
  readonly config: WallConfig;
  readonly choices: readonly WallChoice[];
  readonly onSave: (config: WallConfig) => void;
  readonly onClose: () => void;
  readonly onLeave: () => void;
}

export function WallSettings({ config, choices, onSave, onClose, onLeave }: WallSettingsProps) {
  const { t } = useI18n();
  const id = useId();
  const [playlist, setPlaylist] = useState<string[]>([...config.playlist]);
  const [interval, setIntervalValue] = useState(String(config.intervalSeconds));
  const seconds = Number(interval);
  const intervalOk =
    Number.isInteger(seconds) && seconds >= MIN_INTERVAL_SECONDS && seconds <= MAX_INTERVAL_SECONDS;
  const titleOf = (item: string) => choices.find((c) => c.id === item)?.title ?? item;

  function toggle(item: string): void {
    setPlaylist(playlist.includes(item) ? playlist.filter((p) => p !== item) : [...playlist, item]);
  }
  function move(index: number, by: -1 | 1): void {
    const next = [...playlist];
    const other = index + by;
    const a = next[index];
    const b = next[other];
    if (a === undefined || b === undefined) return;
    next[index] = b;
    next[other] = a;
    setPlaylist(next);
  }
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!intervalOk) return;
    onSave({ playlist, intervalSeconds: seconds });
  }

  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="wall-settings">
      <form className="dashboard-form wall-settings" onSubmit={submit}>
        <h2 className="detail__title" id={`${id}-title`}>
          {t('wall.settings.title')}
        </h2>
        <fieldset className="dashboard-form__group">
          <legend>{t('wall.settings.items')}</legend>
          {choices.map((choice) => (
            <label key={choice.id} className="explorer-check">
              <input
                type="checkbox"
                checked={playlist.includes(choice.id)}
                onChange={() => toggle(choice.id)}
                data-testid={`wall-choice-${choice.id}`}
              />
              {choice.title}
            </label>
          ))}
        </fieldset>
        {playlist.length > 0 && (
          <fieldset className="dashboard-form__group">
            <legend>{t('wall.settings.order')}</legend>
            <ol className="wall-settings__order">
              {playlist.map((item, index) => (
                <li key={item}>
                  <span>{titleOf(item)}</span>
                  <button
                    type="button"
                    className="button button--small"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                    aria-label={t('wall.settings.up', { title: titleOf(item) })}
                  >
                    <span aria-hidden="true">↑</span>
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    disabled={index === playlist.length - 1}
                    onClick={() => move(index, 1)}
                    aria-label={t('wall.settings.down', { title: titleOf(item) })}
                  >
                    <span aria-hidden="true">↓</span>
                  </button>
                </li>
              ))}
            </ol>
          </fieldset>
        )}
        <label className="dashboard-form__field">
          <span>{t('wall.settings.interval')}</span>
          <input
            className="explorer-input"
            type="number"
            min={MIN_INTERVAL_SECONDS}
            max={MAX_INTERVAL_SECONDS}
            value={interval}
            onChange={(event) => setIntervalValue(event.target.value)}
            aria-invalid={intervalOk ? undefined : 'true'}
            data-testid="wall-interval"
          />
        </label>
        <p className="explorer-muted">{t('wall.settings.keys')}</p>
        <div className="dashboard-form__actions">
          <button type="button" className="button" onClick={onLeave} data-testid="wall-leave">
            {t('wall.leave')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="button" disabled={!intervalOk} data-testid="wall-settings-save">
            {t('wall.settings.save')}
          </button>
        </div>
      </form>
    </OverlayDialog>
  );
}
