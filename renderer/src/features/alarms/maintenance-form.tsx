/**
 * Plans or edits a maintenance window, in a dialog: title, reason, what it covers (zones, devices
 * and services picked by name, tags as free text), and when (once, between two times typed in the
 * operator's zone; or recurring in a zone of its own: every day, some weekdays or a day of the
 * month, from a local start time for a number of real minutes, between two dates). The schedule is
 * said in words as it is typed. Problems found here are shown at their field at once; what the
 * engine refuses (VALIDATION with the paths of its issues) is shown at the top and at the fields,
 * and the dialog stays open. Tab moves through the fields in order, Enter saves, Esc cancels.
 */
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { MaintenanceEntry } from '../../../../shared/api';
import type { MaintenanceWindow } from '../../../../shared/domain/maintenance-window';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { OverlayDialog } from '../../components/overlay-dialog';
import { apiErrorOf } from '../../lib/api/bridge-error';
import { useSaveMaintenance } from '../../lib/api/maintenance-queries';
import { useClock } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { DialogActions } from './dialog-actions';
import {
  buildSaveRequest,
  draftOf,
  issuesByField,
  type DraftField,
  type DraftProblems,
  type MaintenanceDraft,
  type MaintenanceFreq,
} from './maintenance-draft';
import { scheduleText, type MaintenanceTextContext } from './maintenance-text';

/** A subject the scope can name: its id (what is sent), its name, and where it is. */
export interface ScopeOption {
  readonly id: string;
  readonly name: string;
  readonly detail?: string;
}

export interface ScopeOptions {
  readonly zones: readonly ScopeOption[];
  readonly devices: readonly ScopeOption[];
  readonly services: readonly ScopeOption[];
}

/** Lists longer than this get a filter box. */
const FILTER_FROM = 8;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const FREQS: readonly MaintenanceFreq[] = ['daily', 'weekly', 'monthly'];
const SCOPE_FIELDS: ReadonlySet<DraftField> = new Set(['zones', 'devices', 'services', 'tags']);
/** The fields typed on one line. */
type TextField = Extract<
  DraftField,
  { [K in keyof MaintenanceDraft]: MaintenanceDraft[K] extends string ? K : never }[keyof MaintenanceDraft]
>;

function knownTimeZones(): readonly string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

/** Options under the place they are in (their `detail`), places in the order they come. */
function groupByPlace(options: readonly ScopeOption[]): [string, ScopeOption[]][] {
  const groups = new Map<string, ScopeOption[]>();
  for (const option of options) {
    const place = option.detail ?? '';
    const group = groups.get(place);
    if (group) group.push(option);
    else groups.set(place, [option]);
  }
  return [...groups];
}

/** What is wrong with a field: found here, or said by the engine. */
function FieldProblem({ id, text, engine }: { id: string; text: string | null; engine: string | undefined }) {
  const { t } = useI18n();
  if (text === null && engine === undefined) return null;
  return (
    <span
      className="alarm-form__error maintenance-form__error"
      id={id}
      role="alert"
      data-testid="maintenance-field-error"
    >
      {text}
      {text !== null && engine !== undefined && ' '}
      {engine !== undefined && t('maintenance.form.engineSays', { message: engine })}
    </span>
  );
}

function ScopePicker({
  legend,
  options,
  chosen,
  onChange,
  invalid,
  problem,
  testId,
}: {
  legend: string;
  options: readonly ScopeOption[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  invalid: boolean;
  problem: ReactNode;
  testId: string;
}) {
  const { t, fmt, locale } = useI18n();
  const id = useId();
  const [filter, setFilter] = useState('');
  // A chosen subject the console no longer knows stays listed (by id) so it can be unticked.
  const all = useMemo((): ScopeOption[] => {
    const known = new Set(options.map((o) => o.id));
    return [...options, ...chosen.filter((c) => !known.has(c)).map((c) => ({ id: c, name: c }))];
  }, [options, chosen]);
  const needle = filter.trim().toLocaleLowerCase(locale);
  const shown =
    needle === ''
      ? all
      : all.filter((o) => `${o.name} ${o.id} ${o.detail ?? ''}`.toLocaleLowerCase(locale).includes(needle));
  const chosenSet = new Set(chosen);

  function onFilterKey(event: KeyboardEvent<HTMLInputElement>): void {
    // Enter filters, it does not save; Esc empties the filter before it closes the dialog.
    if (event.key === 'Enter') event.preventDefault();
    else if (event.key === 'Escape' && filter !== '') {
      event.preventDefault();
      event.stopPropagation();
      setFilter('');
    }
  }

  return (
    <fieldset className="maintenance-picker" data-testid={testId} data-invalid={invalid ? 'true' : undefined}>
      <legend>
        {legend}{' '}
        <span className="alarm-muted">
          {t('maintenance.form.chosen', { count: fmt.number(chosen.length) })}
        </span>
      </legend>
      {all.length > FILTER_FROM && (
        <input
          className="alarm-input"
          type="search"
          value={filter}
          aria-label={t('maintenance.form.filter', { what: legend })}
          placeholder={t('maintenance.form.filter', { what: legend })}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setFilter(event.target.value)}
          onKeyDown={onFilterKey}
          data-testid={`${testId}-filter`}
        />
      )}
      <div className="maintenance-picker__list" id={`${id}-list`}>
        {groupByPlace(shown).map(([place, group]) => (
          <div key={place} className="maintenance-picker__group" role="group" aria-label={place || legend}>
            {place !== '' && <span className="maintenance-picker__place">{place}</span>}
            {group.map((option) => (
              <label key={option.id} className="alarm-form__choice">
                <input
                  type="checkbox"
                  checked={chosenSet.has(option.id)}
                  onChange={(event) =>
                    onChange(
                      event.target.checked ? [...chosen, option.id] : chosen.filter((c) => c !== option.id),
                    )
                  }
                  data-testid={`${testId}-${option.id}`}
                />{' '}
                {option.name}
              </label>
            ))}
          </div>
        ))}
        {shown.length === 0 && <span className="alarm-muted">{t('maintenance.form.noMatch')}</span>}
      </div>
      {problem}
    </fieldset>
  );
}

export interface MaintenanceFormProps {
  /** The window to edit; null plans a new one. */
  readonly window: MaintenanceWindow | null;
  readonly options: ScopeOptions;
  readonly context: MaintenanceTextContext;
  readonly onClose: () => void;
  readonly onSaved: (entry: MaintenanceEntry) => void;
}

export function MaintenanceForm({ window, options, context, onClose, onSaved }: MaintenanceFormProps) {
  const { t, timeZone } = useI18n();
  const clock = useClock();
  const id = useId();
  const save = useSaveMaintenance();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<MaintenanceDraft>(() => draftOf(window, clock.now(), timeZone));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [attempt, setAttempt] = useState(0);
  const zones = useMemo(() => knownTimeZones(), []);

  // After a refused attempt, the first field with a problem takes the focus.
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current
      ?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"] input')
      ?.focus();
  }, [attempt]);

  const engine = issuesByField(apiErrorOf(save.error));
  const built = buildSaveRequest(draft, timeZone);
  const preview = 'request' in built ? scheduleText(context, built.request.schedule) : null;

  function update(patch: Partial<MaintenanceDraft>): void {
    setDraft((held) => ({ ...held, ...patch }));
    setProblems((held) => {
      const next = { ...held };
      for (const field of Object.keys(patch) as DraftField[]) {
        delete next[field];
        if (SCOPE_FIELDS.has(field)) delete next.scope;
      }
      return next;
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if ('problems' in built) {
      setProblems(built.problems);
      setAttempt((n) => n + 1);
      return;
    }
    setProblems({});
    save.mutate(built.request, {
      onSuccess: (entry) => {
        onSaved(entry);
        onClose();
      },
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>): void {
    // Enter saves from a tick box, a choice or a list too, not only from a text field.
    const target = event.target;
    const pick =
      (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio')) ||
      target instanceof HTMLSelectElement;
    if (event.key === 'Enter' && pick && !event.defaultPrevented) {
      event.preventDefault();
      formRef.current?.requestSubmit();
    }
  }

  /** The ids and attributes that tie a field to its problem. */
  function field(name: DraftField) {
    const invalid = problems[name] !== undefined || engine[name] !== undefined;
    const errorId = `${id}-${name}-error`;
    const problem = problems[name];
    return {
      invalid,
      input: {
        'aria-invalid': invalid,
        'aria-describedby': invalid ? errorId : undefined,
      },
      problem: (
        <FieldProblem
          id={errorId}
          text={problem ? t(problem.key, problem.params) : null}
          engine={engine[name]}
        />
      ),
    };
  }

  /** A one-line input bound to a text of the draft, with its label, hint and problem. */
  function textField(
    name: TextField,
    label: string,
    testId: string,
    /** `data-autofocus`: the dialog's focus starts there. */
    attributes: InputHTMLAttributes<HTMLInputElement> & { 'data-autofocus'?: boolean } = {},
    hint: { readonly id: string; readonly text?: string } | null = null,
    after: ReactNode = null,
  ) {
    const { input, problem } = field(name);
    return (
      <label className="alarm-form__field">
        <span>{label}</span>
        {hint?.text !== undefined && (
          <span className="alarm-muted" id={hint.id}>
            {hint.text}
          </span>
        )}
        <input
          className="alarm-input"
          value={draft[name]}
          autoComplete="off"
          onChange={(event) => update({ [name]: event.target.value })}
          data-testid={testId}
          {...attributes}
          {...input}
          aria-describedby={input['aria-describedby'] ?? hint?.id}
        />
        {after}
        {problem}
      </label>
    );
  }

  const reason = field('reason');
  const scope = field('scope');
  const weekdays = field('weekdays');
  const freq = field('freq');
  const narrow = 'alarm-input alarm-input--narrow';
  const whole = { type: 'number', inputMode: 'numeric', step: 1, min: 1 } as const;

  return (
    <OverlayDialog variant="centre" labelledBy={`${id}-title`} onClose={onClose} testId="maintenance-form">
      <form
        ref={formRef}
        className="alarm-form maintenance-form"
        onSubmit={onSubmit}
        onKeyDown={onKeyDown}
        noValidate
        data-editing={window?.id}
      >
        <h2 className="detail__title" id={`${id}-title`}>
          {window === null
            ? t('maintenance.form.titleNew')
            : t('maintenance.form.titleEdit', { title: window.title })}
        </h2>
        {save.isError && (
          <ApiErrorNotice
            error={save.error}
            title={t('maintenance.form.failed')}
            testId="maintenance-save-error"
          />
        )}

        {textField('title', t('maintenance.form.name'), 'maintenance-title', {
          maxLength: 200,
          required: true,
          'aria-required': true,
          'data-autofocus': true,
        })}
        <label className="alarm-form__field">
          <span>{t('maintenance.form.reason')}</span>
          <textarea
            className="alarm-input"
            rows={2}
            value={draft.reason}
            maxLength={2000}
            required
            aria-required
            onChange={(event) => update({ reason: event.target.value })}
            data-testid="maintenance-reason"
            {...reason.input}
          />
          {reason.problem}
        </label>

        <fieldset
          className="alarm-form__choices"
          aria-describedby={`${id}-scope-hint`}
          data-invalid={scope.input['aria-invalid'] ? 'true' : undefined}
        >
          <legend>{t('maintenance.form.scope')}</legend>
          <p className="alarm-muted" id={`${id}-scope-hint`}>
            {t('maintenance.form.scopeHint')}
          </p>
          {scope.problem}
          <div className="maintenance-form__pickers">
            {(['zones', 'devices', 'services'] as const).map((kind) => (
              <ScopePicker
                key={kind}
                legend={t(`maintenance.scope.${kind}`)}
                options={options[kind]}
                chosen={draft[kind]}
                onChange={(ids) => update({ [kind]: ids })}
                invalid={field(kind).invalid}
                problem={field(kind).problem}
                testId={`maintenance-${kind}`}
              />
            ))}
          </div>
          {textField(
            'tags',
            t('maintenance.scope.tags'),
            'maintenance-tags',
            { spellCheck: false },
            { id: `${id}-tags-hint`, text: t('maintenance.form.tagsHint') },
          )}
        </fieldset>

        <fieldset className="alarm-form__choices">
          <legend>{t('maintenance.form.schedule')}</legend>
          <div
            className="maintenance-form__row"
            role="radiogroup"
            aria-label={t('maintenance.form.schedule')}
          >
            {(['once', 'recurring'] as const).map((kind) => (
              <label key={kind} className="alarm-form__choice">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  checked={draft.kind === kind}
                  onChange={() => update({ kind })}
                  data-testid={`maintenance-kind-${kind}`}
                />{' '}
                {t(`maintenance.form.${kind}`)}
              </label>
            ))}
          </div>

          {draft.kind === 'once' ? (
            <div className="maintenance-form__row">
              {textField('from', t('maintenance.form.from', { zone: timeZone }), 'maintenance-from', {
                type: 'datetime-local',
              })}
              {textField('to', t('maintenance.form.to', { zone: timeZone }), 'maintenance-to', {
                type: 'datetime-local',
              })}
            </div>
          ) : (
            <>
              <div className="maintenance-form__row">
                <label className="alarm-form__field">
                  <span>{t('maintenance.form.freq')}</span>
                  <select
                    className="alarm-select"
                    value={draft.freq}
                    onChange={(event) => update({ freq: event.target.value as MaintenanceFreq })}
                    data-testid="maintenance-freq"
                    {...freq.input}
                  >
                    {FREQS.map((f) => (
                      <option key={f} value={f}>
                        {t(`maintenance.form.freq.${f}`)}
                      </option>
                    ))}
                  </select>
                  {freq.problem}
                </label>
                {textField(
                  'timeZone',
                  t('maintenance.form.timeZone'),
                  'maintenance-time-zone',
                  { list: `${id}-zones`, spellCheck: false },
                  null,
                  <datalist id={`${id}-zones`}>
                    {zones.map((name) => (
                      <option key={name} value={name} />
                    ))}
                  </datalist>,
                )}
              </div>
              {draft.freq === 'weekly' && (
                <fieldset
                  className="maintenance-form__weekdays"
                  data-invalid={weekdays.input['aria-invalid'] ? 'true' : undefined}
                  aria-describedby={weekdays.input['aria-describedby']}
                  data-testid="maintenance-weekdays"
                >
                  <legend>{t('maintenance.form.weekdays')}</legend>
                  {WEEKDAYS.map((weekday) => (
                    <label key={weekday} className="alarm-form__choice">
                      <input
                        type="checkbox"
                        checked={draft.weekdays.includes(weekday)}
                        onChange={(event) =>
                          update({
                            weekdays: event.target.checked
                              ? [...draft.weekdays, weekday]
                              : draft.weekdays.filter((d) => d !== weekday),
                          })
                        }
                        data-testid={`maintenance-weekday-${weekday}`}
                      />{' '}
                      {context.formats.weekday(weekday)}
                    </label>
                  ))}
                  {weekdays.problem}
                </fieldset>
              )}
              {draft.freq === 'monthly' &&
                textField(
                  'dayOfMonth',
                  t('maintenance.form.dayOfMonth'),
                  'maintenance-day-of-month',
                  { ...whole, max: 31, className: narrow },
                  { id: `${id}-day-hint`, text: t('maintenance.form.dayOfMonthHint') },
                )}
              <div className="maintenance-form__row">
                {textField('startTime', t('maintenance.form.startTime'), 'maintenance-start-time', {
                  type: 'time',
                  className: narrow,
                })}
                {textField(
                  'duration',
                  t('maintenance.form.duration'),
                  'maintenance-duration',
                  { ...whole, max: 10_080, className: narrow },
                  { id: `${id}-duration-hint` },
                )}
              </div>
              <p className="alarm-muted" id={`${id}-duration-hint`}>
                {t('maintenance.form.durationHint')}
              </p>
              <div className="maintenance-form__row">
                {textField('firstDate', t('maintenance.form.firstDate'), 'maintenance-first-date', {
                  type: 'date',
                })}
                {textField('lastDate', t('maintenance.form.lastDate'), 'maintenance-last-date', {
                  type: 'date',
                })}
              </div>
            </>
          )}
          {preview !== null && (
            <p className="maintenance-form__preview" data-testid="maintenance-preview">
              {t('maintenance.form.preview', { text: preview })}
            </p>
          )}
        </fieldset>

        <DialogActions
          submitLabel={t(window === null ? 'maintenance.form.create' : 'maintenance.form.save')}
          pending={save.isPending}
          onCancel={onClose}
          submitTestId="maintenance-submit"
        />
      </form>
    </OverlayDialog>
  );
}
