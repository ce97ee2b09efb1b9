/** The foot of the alarms view's dialogs: Cancel, and the submit button, held while the request runs. */
import { useI18n } from '../../lib/i18n/i18n-context';

export interface DialogActionsProps {
  readonly submitLabel: string;
  readonly pending: boolean;
  readonly onCancel: () => void;
  readonly submitTestId: string;
}

export function DialogActions({ submitLabel, pending, onCancel, submitTestId }: DialogActionsProps) {
  const { t } = useI18n();
  return (
    <div className="alarm-form__actions">
      <button type="button" className="button" onClick={onCancel}>
        {t('action.cancel')}
      </button>
      <button type="submit" className="button alarm-primary" disabled={pending} data-testid={submitTestId}>
        {submitLabel}
      </button>
    </div>
  );
}
