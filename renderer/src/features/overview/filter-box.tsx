import { useId, type KeyboardEvent, type Ref } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';

export interface FilterBoxProps {
  readonly value: string;
  readonly shown: number;
  readonly total: number;
  readonly onChange: (value: string) => void;
  /** Leaves the box for the tiles (Escape on an empty box, Enter, arrow down). */
  readonly onLeave: () => void;
  readonly ref?: Ref<HTMLInputElement>;
}

/** Filters tiles by name; `/` focuses it from anywhere in the console. */
export function FilterBox({ value, shown, total, onChange, onLeave, ref }: FilterBoxProps) {
  const { t, fmt } = useI18n();
  const id = useId();
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
        {t('filter.label')}
      </label>
      <input
        ref={ref}
        id={id}
        className="filter__input"
        type="search"
        value={value}
        placeholder={t('filter.placeholder')}
        aria-keyshortcuts="/"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        data-testid="tile-filter"
      />
      {value !== '' && (
        <button type="button" className="button button--small" onClick={() => onChange('')}>
          {t('filter.clear')}
        </button>
      )}
      <span className="filter__result" role="status">
        {value !== '' ? t('filter.result', { shown: fmt.number(shown), total: fmt.number(total) }) : ''}
      </span>
    </div>
  );
}
