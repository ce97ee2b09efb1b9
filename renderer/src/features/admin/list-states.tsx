/**
 * What an administration list says above its table: the last action's notice, a failed load,
 * loading, nothing stored yet, nothing matching the filter. One place for both the Accounts and
 * the Secrets views, so their states read and behave alike.
 */
import { ApiErrorNotice } from '../../components/api-error-notice';

export interface ListStatesProps {
  /** `accounts` or `secrets`: the prefix of the test ids. */
  readonly name: string;
  readonly notice: string | null;
  readonly query: {
    readonly isError: boolean;
    readonly isPending: boolean;
    readonly isSuccess: boolean;
    readonly error: unknown;
  };
  readonly total: number;
  readonly shown: number;
  readonly text: {
    readonly failed: string;
    readonly loading: string;
    readonly empty: string;
    readonly noMatch: string;
  };
}

export function ListStates({ name, notice, query, total, shown, text }: ListStatesProps) {
  return (
    <>
      <p className="admin__notice" role="status" data-testid={`${name}-notice`}>
        {notice ?? ''}
      </p>
      {query.isError && <ApiErrorNotice error={query.error} title={text.failed} testId={`${name}-error`} />}
      {query.isPending && <p role="status">{text.loading}</p>}
      {query.isSuccess && total === 0 && <p data-testid={`${name}-empty`}>{text.empty}</p>}
      {total > 0 && shown === 0 && <p data-testid={`${name}-no-match`}>{text.noMatch}</p>}
    </>
  );
}
