import { useId, type KeyboardEvent, type Ref } from 'react';
import { useI18n } from '../lib/i18n/i18n-context';

export interface FilterBoxProps {
  readonly value: string;
  readonly shown: number;
  readonly total: number;
  readonly onChange: (value: string) => void;
  /** Leaves the box for the tiles (Escape on an empty box, Enter, arrow down). */
  readonly onLeave: () => void;
  readonly ref?: Ref<HTMLInputElement>;
  /** What the box filters, in words: tiles unless told otherwise. */
  readonly texts?: FilterTexts;
  readonly testId?: string;
}

export interface FilterTexts {
  readonly label: string;
  readonly placeholder: string;
  /** "3 of 12 shown", numbers already formatted. */
  readonly result: (shown: string, total: string) => string;
}

/**
 * A free-text filter (the overview's tiles, the alarms); `/` focuses it from anywhere in its view,
 * Escape empties it (and leaves it when already empty).
 */
export function FilterBox({ value, shown, total, onChange, onLeave, ref, texts, testId }: FilterBoxProps) {
  const { t, fmt } = useI18n();
  const id = useId();
  const words: FilterTexts = texts ?? {
    label: t('filter.label'),
    placeholder: t('filter.placeholder'),
    result: (shownText, totalText) => t('filter.result', { shown: shownText, total: totalText }),
  };
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (value !== '') onChange('');
      else onLeave();
    } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
      event.preventDefault();
      onLeave();
    }
  }
  return (
    <div className="filter" role="search">
      <label className="filter__label" htmlFor={id}>
        {words.label}
      </label>
      <input
        ref={ref}
        id={id}
        className="filter__input"
        type="search"
        value={value}
        placeholder={words.placeholder}
        aria-keyshortcuts="/"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        data-testid={testId ?? 'tile-filter'}
      />
      {value !== '' && (
        <button type="button" className="button button--small" onClick={() => onChange('')}>
          {t('filter.clear')}
        </button>
      )}
      <span className="filter__result" role="status">
        {value !== '' ? words.result(fmt.number(shown), fmt.number(total)) : ''}
      </span>
    </div>
  );
}
