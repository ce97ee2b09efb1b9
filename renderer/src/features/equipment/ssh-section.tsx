/**
 * SSH diagnostics of a device: where its host key stands (read it, compare and confirm it, or face
 * a changed key), then an allow-listed command template with a form built from its parameters,
 * and the output of a run with the readings parsed from it. Reading, confirming and running are
 * operator actions: a viewer sees the state, and why the buttons are disabled.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { EquipmentDevice } from '../../../../shared/api';
import type { DiagnosticReadingView, DiagnosticTemplate } from '../../../../shared/api/diagnostics';
import { isMessageKey, type Locale } from '../../../../shared/i18n';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { StatusIcon } from '../../components/status-icon';
import { apiErrorOf } from '../../lib/api/bridge-error';
import {
  useConfirmHostKey,
  useDiagnosticTemplates,
  useHostKey,
  useProbeHostKey,
  useRunDiagnostic,
  type DiagnosticRunResult,
  type HostKeyState,
} from '../../lib/api/diagnostics-queries';
import { INTL_LOCALES } from '../../lib/i18n/formatters';
import { useAccess } from '../../lib/session/access';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import { DeviceSection } from './device-sections';

const KEYGEN_COMMAND = 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub';

function keyText(t: Translate, key: string): string {
  return isMessageKey(key) ? t(key) : key;
}

/** Props every operator action shares: whether it is allowed, and the id of the reason it is not. */
interface Permission {
  readonly canOperate: boolean;
  readonly reasonId: string;
}

function Fingerprint({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="eq-facts__item" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <code className="eq-ssh__fingerprint">{value}</code>
      </dd>
    </div>
  );
}

function HostKeyPanel({
  deviceId,
  state,
  permission,
  panelRef,
}: {
  deviceId: string;
  state: HostKeyState;
  permission: Permission;
  panelRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { t, fmt } = useI18n();
  const probe = useProbeHostKey(deviceId);
  const confirm = useConfirmHostKey(deviceId);
  // The warning step is for one presented key: another key (or state) starts over.
  const [reviewedKey, setReviewedKey] = useState<string | null>(null);
  const headingId = useId();
  const warningRef = useRef<HTMLParagraphElement>(null);
  const disabled = !permission.canOperate;
  const describedBy = disabled ? permission.reasonId : undefined;

  const presented = state.presented;
  const reviewing = state.state === 'changed' && presented !== null && reviewedKey === presented.fingerprint;
  useEffect(() => {
    if (reviewing) warningRef.current?.focus();
  }, [reviewing]);

  const hint = (
    <p className="eq-muted" data-testid="host-key-hint">
      {t('equipment.ssh.hostKey.compareHint', { command: KEYGEN_COMMAND })}
    </p>
  );
  const readButton = (
    <button
      type="button"
      className="button"
      disabled={disabled || probe.isPending}
      aria-describedby={describedBy}
      onClick={() => probe.mutate()}
      data-testid="host-key-read"
    >
      {t('equipment.ssh.hostKey.read')}
    </button>
  );

  return (
    <div
      className={`eq-ssh__host-key eq-ssh__host-key--${state.state}`}
      data-testid="host-key"
      data-state={state.state}
      role="group"
      aria-labelledby={headingId}
      ref={panelRef}
      tabIndex={-1}
    >
      <h3 className="eq-subtitle" id={headingId}>
        {t('equipment.ssh.hostKey.title')}
      </h3>
      {state.state === 'unknown' && (
        <>
          <p>
            <StatusIcon status="unknown" /> {t('equipment.ssh.hostKey.unknown')}
          </p>
          {readButton}
        </>
      )}
      {state.state === 'unconfirmed' && presented && (
        <>
          <p>
            <StatusIcon status="degraded" /> {t('equipment.ssh.hostKey.unconfirmed')}
          </p>
          <dl className="eq-facts">
            <Fingerprint
              label={t('equipment.ssh.hostKey.fingerprint')}
              value={presented.fingerprint}
              testId="host-key-presented"
            />
            <div className="eq-facts__item">
              <dt>{t('equipment.ssh.hostKey.keyType')}</dt>
              <dd>
                <code>{presented.keyType}</code>
              </dd>
            </div>
            <div className="eq-facts__item" data-testid="host-key-endpoint">
              <dt>{t('equipment.ssh.hostKey.endpoint')}</dt>
              <dd>
                <code>{presented.endpoint}</code>
              </dd>
            </div>
          </dl>
          {hint}
          <button
            type="button"
            className="button"
            disabled={disabled || confirm.isPending}
            aria-describedby={describedBy}
            onClick={() => confirm.mutate(presented.fingerprint)}
            data-testid="host-key-confirm"
          >
            {t('equipment.ssh.hostKey.confirm')}
          </button>
        </>
      )}
      {state.state === 'unconfirmed' && !presented && (
        <>
          <p>{t('equipment.ssh.hostKey.noPresented')}</p>
          {readButton}
        </>
      )}
      {state.state === 'pinned' && state.pinned && (
        <>
          <p data-testid="host-key-trusted">
            <StatusIcon status="up" /> <strong>{t('equipment.ssh.hostKey.pinned')}</strong>{' '}
            {t('equipment.ssh.hostKey.pinnedBy', {
              by: state.pinned.pinnedBy,
              time: fmt.dateTime(state.pinned.pinnedAt),
            })}
          </p>
          <dl className="eq-facts">
            <Fingerprint
              label={t('equipment.ssh.hostKey.fingerprint')}
              value={state.pinned.fingerprint}
              testId="host-key-pinned"
            />
            <div className="eq-facts__item">
              <dt>{t('equipment.ssh.hostKey.endpoint')}</dt>
              <dd>
                <code>{state.pinned.endpoint}</code>
              </dd>
            </div>
          </dl>
        </>
      )}
      {state.state === 'changed' && (
        <div className="eq-ssh__alarm" role="alert" data-testid="host-key-changed">
          <p className="eq-section__alert">
            <StatusIcon status="down" /> {t('equipment.ssh.hostKey.changed')}
          </p>
          <dl className="eq-facts">
            {state.pinned && (
              <Fingerprint
                label={t('equipment.ssh.hostKey.pinnedKey')}
                value={state.pinned.fingerprint}
                testId="host-key-pinned"
              />
            )}
            {presented && (
              <Fingerprint
                label={t('equipment.ssh.hostKey.presentedKey')}
                value={presented.fingerprint}
                testId="host-key-presented"
              />
            )}
          </dl>
          {!presented ? (
            <>
              <p>{t('equipment.ssh.hostKey.noPresented')}</p>
              {readButton}
            </>
          ) : !reviewing ? (
            <button
              type="button"
              className="button"
              disabled={disabled}
              aria-describedby={describedBy}
              onClick={() => setReviewedKey(presented.fingerprint)}
              data-testid="host-key-review"
            >
              {t('equipment.ssh.hostKey.reviewNew')}
            </button>
          ) : (
            <div className="eq-ssh__warning" data-testid="host-key-warning">
              <p ref={warningRef} tabIndex={-1}>
                <strong>{t('equipment.ssh.hostKey.warning', { command: KEYGEN_COMMAND })}</strong>
              </p>
              <div className="eq-ssh__actions">
                <button
                  type="button"
                  className="button button--danger"
                  disabled={disabled || confirm.isPending}
                  aria-describedby={describedBy}
                  onClick={() => confirm.mutate(presented.fingerprint)}
                  data-testid="host-key-confirm-new"
                >
                  {t('equipment.ssh.hostKey.confirmNew')}
                </button>
                <button type="button" className="button" onClick={() => setReviewedKey(null)}>
                  {t('equipment.ssh.hostKey.cancel')}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
      {probe.isError && (
        <ApiErrorNotice
          error={probe.error}
          title={t('equipment.ssh.hostKey.readFailed')}
          testId="host-key-error"
        />
      )}
      {confirm.isError && (
        <ApiErrorNotice
          error={confirm.error}
          title={t('equipment.ssh.hostKey.confirmFailed')}
          testId="host-key-error"
        />
      )}
    </div>
  );
}

/** Gauges as numbers; counters (64-bit, decimal strings) through BigInt, never Number. */
export function readingValue(
  reading: DiagnosticReadingView,
  locale: Locale,
  fmt: { number(n: number): string },
): string {
  const number =
    reading.kind === 'counter'
      ? new Intl.NumberFormat(INTL_LOCALES[locale]).format(BigInt(reading.value))
      : fmt.number(reading.value);
  return reading.unit === '' ? number : `${number}\u00a0${reading.unit}`;
}

function RunResult({ result }: { result: Extract<DiagnosticRunResult, { status: 'completed' }> }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const headingId = useId();
  return (
    <section className="eq-ssh__result" aria-labelledby={headingId} data-testid="ssh-result">
      <h3 className="eq-subtitle" id={headingId}>
        {t('equipment.ssh.result.title')}
      </h3>
      <dl className="eq-facts">
        <div className="eq-facts__item">
          <dt>{t('equipment.ssh.result.command')}</dt>
          <dd>
            <code>{result.commandLine}</code>
          </dd>
        </div>
        <div className="eq-facts__item" data-testid="ssh-exit-code" data-exit-code={result.exitCode ?? ''}>
          <dt>{t('equipment.ssh.result.exitCode')}</dt>
          <dd>
            {result.exitCode === null ? t('equipment.ssh.result.none') : fmt.number(result.exitCode)}
            {result.signal !== null && ` (${t('equipment.ssh.result.signal', { signal: result.signal })})`}
          </dd>
        </div>
        <div className="eq-facts__item" data-testid="ssh-duration">
          <dt>{t('equipment.ssh.result.duration')}</dt>
          <dd>{t('unit.milliseconds', { value: fmt.number(Math.round(result.durationMs)) })}</dd>
        </div>
      </dl>
      {result.truncated && (
        <p className="eq-section__alert" data-testid="ssh-truncated">
          <StatusIcon status="degraded" /> {t('equipment.ssh.result.truncated')}
        </p>
      )}
      {result.clipped && (
        <p className="eq-section__alert" data-testid="ssh-clipped">
          <StatusIcon status="degraded" /> {t('equipment.ssh.result.clipped')}
        </p>
      )}
      <OutputBlock label={t('equipment.ssh.result.stdout')} text={result.stdout} testId="ssh-stdout" />
      {result.stderr !== '' && (
        <OutputBlock label={t('equipment.ssh.result.stderr')} text={result.stderr} testId="ssh-stderr" />
      )}
      {result.parseError !== null && (
        <p className="eq-section__alert" data-testid="ssh-parse-error">
          {t('equipment.ssh.result.parseError', { reason: result.parseError })}
        </p>
      )}
      {result.readings.length > 0 && (
        <div className="eq-table-wrap">
          <table className="eq-table" data-testid="ssh-readings">
            <caption>{t('equipment.ssh.result.readings')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('equipment.ssh.result.reading')}</th>
                <th scope="col">{t('equipment.ssh.result.labels')}</th>
                <th scope="col">{t('equipment.ssh.result.value')}</th>
              </tr>
            </thead>
            <tbody>
              {result.readings.map((reading, index) => (
                <tr
                  key={`${reading.name}:${JSON.stringify(reading.labels)}:${index}`}
                  data-testid="ssh-reading"
                  data-reading={reading.name}
                >
                  <th scope="row">{keyText(t, `equipment.ssh.reading.${reading.name}`)}</th>
                  <td>
                    {Object.entries(reading.labels)
                      .map(([key, value]) => `${key}=${value}`)
                      .join(', ')}
                  </td>
                  <td className="eq-num" data-testid="ssh-reading-value">
                    {readingValue(reading, i18n.locale, fmt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function OutputBlock({ label, text, testId }: { label: string; text: string; testId: string }) {
  const { t } = useI18n();
  const labelId = useId();
  return (
    <div className="eq-ssh__output">
      <p className="eq-ssh__output-label" id={labelId}>
        {label}
      </p>
      {/* Scrollable, so reachable by keyboard to scroll it. */}
      <pre className="eq-ssh__pre" tabIndex={0} role="region" aria-labelledby={labelId} data-testid={testId}>
        {text === '' ? t('equipment.ssh.result.empty') : text}
      </pre>
    </div>
  );
}

function paramIssues(error: unknown): { fields: Map<string, string>; other: boolean } {
  const fields = new Map<string, string>();
  const apiError = apiErrorOf(error);
  let other = error !== null;
  if (apiError?.code === 'VALIDATION' && apiError.issues && apiError.issues.length > 0) {
    other = false;
    for (const issue of apiError.issues) {
      const match = /^params\.([A-Za-z0-9]+)$/.exec(issue.path);
      if (match?.[1]) fields.set(match[1], issue.message);
      else other = true;
    }
  }
  return { fields, other };
}

function ParamField({
  param,
  value,
  issue,
  onChange,
  disabled,
}: {
  param: DiagnosticTemplate['params'][number];
  value: string;
  issue: string | undefined;
  onChange: (value: string) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const type = param.type;
  const describedBy = [type.kind === 'integer' ? hintId : null, issue ? errorId : null]
    .filter((x) => x !== null)
    .join(' ');
  const common = {
    id,
    className: 'explorer-input',
    value,
    disabled,
    'aria-invalid': issue ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
    'data-testid': `ssh-param-${param.name}`,
  };
  return (
    <div className="eq-ssh__field">
      <label htmlFor={id}>{keyText(t, param.titleKey)}</label>
      {type.kind === 'enum' ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {type.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : type.kind === 'integer' ? (
        <input
          {...common}
          type="number"
          inputMode="numeric"
          step={1}
          min={type.min}
          max={type.max}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type="text"
          maxLength={type.maxLength}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {type.kind === 'integer' && (
        <span className="eq-muted" id={hintId}>
          {t('equipment.ssh.run.integerRange', { min: type.min, max: type.max })}
        </span>
      )}
      {issue && (
        <span className="eq-ssh__field-error" id={errorId} data-testid={`ssh-param-error-${param.name}`}>
          <StatusIcon status="down" /> <span lang="en">{issue}</span>
        </span>
      )}
    </div>
  );
}

function initialValues(template: DiagnosticTemplate | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of template?.params ?? [])
    values[param.name] = param.type.kind === 'enum' ? (param.type.values[0] ?? '') : '';
  return values;
}

function RunForm({
  deviceId,
  templates,
  permission,
  onRefused,
}: {
  deviceId: string;
  templates: readonly DiagnosticTemplate[];
  permission: Permission;
  onRefused: () => void;
}) {
  const { t } = useI18n();
  const run = useRunDiagnostic(deviceId);
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? '');
  const template = templates.find((x) => x.id === templateId);
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(template));
  const selectId = useId();
  const headingId = useId();
  const disabled = !permission.canOperate;
  const { fields, other } = paramIssues(run.error);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!template || disabled) return;
    const params: Record<string, string | number> = {};
    for (const param of template.params) {
      const raw = values[param.name] ?? '';
      params[param.name] = param.type.kind === 'integer' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    }
    run.mutate(
      { templateId: template.id, params },
      {
        onSuccess: (result) => {
          if (result.status === 'refused') onRefused();
        },
      },
    );
  }

  const result = run.data;
  return (
    <section className="eq-ssh__run" aria-labelledby={headingId}>
      <h3 className="eq-subtitle" id={headingId}>
        {t('equipment.ssh.run.title')}
      </h3>
      {templates.length === 0 ? (
        <p className="eq-muted">{t('equipment.ssh.run.noTemplates')}</p>
      ) : (
        <form className="eq-ssh__form" onSubmit={submit} data-testid="ssh-form" noValidate>
          <div className="eq-ssh__field">
            <label htmlFor={selectId}>{t('equipment.ssh.run.template')}</label>
            <select
              id={selectId}
              className="explorer-input"
              value={templateId}
              onChange={(e) => {
                const next = templates.find((x) => x.id === e.target.value);
                setTemplateId(e.target.value);
                setValues(initialValues(next));
                run.reset();
              }}
              data-testid="ssh-template"
            >
              {templates.map((x) => (
                <option key={x.id} value={x.id}>
                  {keyText(t, x.titleKey)}
                </option>
              ))}
            </select>
          </div>
          {template?.params.map((param) => (
            <ParamField
              key={`${template.id}:${param.name}`}
              param={param}
              value={values[param.name] ?? ''}
              issue={fields.get(param.name)}
              disabled={disabled}
              onChange={(value) => setValues((held) => ({ ...held, [param.name]: value }))}
            />
          ))}
          {template && (
            <p className="eq-muted eq-ssh__preview" data-testid="ssh-preview">
              {t('equipment.ssh.run.preview')} <code>{template.preview}</code>
            </p>
          )}
          <div className="eq-ssh__actions">
            <button
              type="submit"
              className="button"
              disabled={disabled || run.isPending || !template}
              aria-describedby={disabled ? permission.reasonId : undefined}
              data-testid="ssh-run"
            >
              {t(run.isPending ? 'equipment.ssh.run.running' : 'equipment.ssh.run.run')}
            </button>
          </div>
        </form>
      )}
      {run.isError && other && (
        <ApiErrorNotice error={run.error} title={t('equipment.ssh.run.failed')} testId="ssh-run-error" />
      )}
      {result?.status === 'refused' && (
        <p className="eq-section__alert" role="alert" data-testid="ssh-refused" data-reason={result.reason}>
          <StatusIcon status="down" /> {t(`equipment.ssh.run.refused.${result.reason}`)}
        </p>
      )}
      {result?.status === 'completed' && <RunResult result={result} />}
    </section>
  );
}

export function SshSection({ device }: { device: EquipmentDevice }) {
  const { t } = useI18n();
  const configured = device.ssh.configured;
  const templates = useDiagnosticTemplates(device.id, configured);
  const hasSsh = configured && templates.data?.ssh != null;
  const hostKey = useHostKey(device.id, hasSsh);
  // Probing, confirming a host key and running a diagnostic all need diagnostics.run.
  const access = useAccess('diagnostics.run');
  const reasonId = useId();
  const hostKeyRef = useRef<HTMLDivElement>(null);
  const permission: Permission = { canOperate: access.allowed, reasonId };
  const ssh = templates.data?.ssh;

  return (
    <DeviceSection
      title={t('equipment.ssh.title')}
      testId="device-ssh"
      wide={hasSsh}
      aside={
        ssh ? (
          <span className="eq-section__aside" data-testid="ssh-endpoint">
            <code>{t('equipment.ssh.endpoint', { user: ssh.user, endpoint: ssh.endpoint })}</code>
          </span>
        ) : undefined
      }
    >
      {(!configured || (templates.data && !templates.data.ssh)) && (
        <p className="eq-muted" data-testid="ssh-not-configured">
          {t('equipment.ssh.notConfigured')}
        </p>
      )}
      {configured && templates.isError && (
        <ApiErrorNotice error={templates.error} title={t('equipment.ssh.failed')} testId="ssh-error" />
      )}
      {configured && !templates.data && !templates.isError && (
        <p className="eq-muted">{t('equipment.ssh.loading')}</p>
      )}
      {hasSsh && templates.data && (
        <div className="eq-ssh">
          {!permission.canOperate && (
            <p className="eq-muted eq-ssh__viewer" id={reasonId} data-testid="ssh-viewer-reason">
              {access.reason}
            </p>
          )}
          {hostKey.data ? (
            <HostKeyPanel
              deviceId={device.id}
              state={hostKey.data}
              permission={permission}
              panelRef={hostKeyRef}
            />
          ) : hostKey.isError ? (
            <ApiErrorNotice error={hostKey.error} title={t('equipment.ssh.failed')} testId="host-key-error" />
          ) : (
            <p className="eq-muted">{t('equipment.ssh.loading')}</p>
          )}
          <RunForm
            key={device.id}
            deviceId={device.id}
            templates={templates.data.templates}
            permission={permission}
            onRefused={() => hostKeyRef.current?.focus()}
          />
        </div>
      )}
    </DeviceSection>
  );
}
