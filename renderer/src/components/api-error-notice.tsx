/**
 * A failed request, translated by its code. For a source that failed (UPSTREAM_*) or a request
 * the engine refused as invalid (VALIDATION), the engine's own words follow: they name the store
 * and what it said, which the code alone cannot. The log reference is always there.
 */
import type { ErrorCode } from '../../../shared/api';
import { apiErrorOf, errorCodeOf } from '../lib/api/bridge-error';
import { useI18n } from '../lib/i18n/i18n-context';

const WITH_SERVER_MESSAGE: ReadonlySet<ErrorCode> = new Set([
  'VALIDATION',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_AUTH',
]);

export function ApiErrorNotice({ error, title, testId }: { error: unknown; title: string; testId?: string }) {
  const { t } = useI18n();
  const apiError = apiErrorOf(error);
  const code = errorCodeOf(error);
  const issues = apiError?.issues ?? [];
  return (
    <div
      className="explorer-notice explorer-notice--error"
      role="alert"
      data-testid={testId}
      data-code={code}
    >
      <p className="explorer-notice__title">
        <strong>{title}</strong> {t(`error.${code}`)}
      </p>
      {apiError && WITH_SERVER_MESSAGE.has(code) && apiError.message.trim() !== '' && (
        <p className="explorer-notice__detail" data-testid="server-message">
          {t('explorer.serverMessage', { message: apiError.message })}
        </p>
      )}
      {code === 'VALIDATION' && issues.length > 0 && (
        <ul className="explorer-notice__issues">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
      {apiError && (
        <p className="explorer-notice__reference">{t('error.reference', { id: apiError.correlationId })}</p>
      )}
    </div>
  );
}
