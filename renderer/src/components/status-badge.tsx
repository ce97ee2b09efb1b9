import type { Status } from '../../../shared/domain/status';
import { useI18n } from '../lib/i18n/i18n-context';
import { StatusIcon } from './status-icon';

/** A status as icon + text, coloured: never colour alone. */
export function StatusBadge({ status, className }: { status: Status; className?: string }) {
  const { t } = useI18n();
  return (
    <span
      className={`status-badge status-badge--${status}${className ? ` ${className}` : ''}`}
      data-status={status}
    >
      <StatusIcon status={status} />
      <span className="status-badge__text">{t(`status.${status}`)}</span>
    </span>
  );
}
