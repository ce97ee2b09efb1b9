/** The words for a refused sign-in or unlock: by the engine's reason when it gave one, else by code. */
import { apiErrorOf, errorCodeOf } from '../../lib/api/bridge-error';
import type { Translate } from '../../lib/i18n/i18n-context';

export function authFailureText(t: Translate, err: unknown, fallback: string): string {
  const reason = apiErrorOf(err)?.reason;
  if (reason !== undefined) return t(`auth.reason.${reason}`);
  return `${fallback} ${t(`error.${errorCodeOf(err)}`)}`;
}
