/**
 * One bad widget never blanks the console (DESIGN.md section 7): every panel, and the app as a
 * whole, sits in a boundary that shows a translated message and a retry.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { MessageKey } from '../../../shared/i18n';
import { useI18n } from '../lib/i18n/i18n-context';

interface ErrorBoundaryProps {
  readonly children: ReactNode;
  readonly fallback: (retry: () => void) => ReactNode;
  readonly onError?: (error: unknown, info: ErrorInfo) => void;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    if (this.props.onError) this.props.onError(error, info);
    else console.error('[vigie] a panel failed to render', error, info.componentStack);
  }

  private readonly retry = (): void => {
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(this.retry) : this.props.children;
  }
}

function BoundaryFallback({ message, onRetry }: { message: MessageKey; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="boundary" role="alert">
      <p className="boundary__message">{t(message)}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t('action.retry')}
      </button>
    </div>
  );
}

/** A boundary around one panel (`panel`) or the whole console (`app`). */
export function PanelBoundary({
  scope = 'panel',
  children,
}: {
  scope?: 'panel' | 'app';
  children: ReactNode;
}) {
  return (
    <ErrorBoundary
      fallback={(retry) => (
        <BoundaryFallback message={scope === 'app' ? 'boundary.app' : 'boundary.panel'} onRetry={retry} />
      )}
    >
      {children}
    </ErrorBoundary>
  );
}
