/**
 * Tile errors arrive as open-ended codes from the engine's adapters (TIMEOUT, AUTH, PROTOCOL,
 * HTTP_503 ...): known ones are translated, HTTP statuses by class, anything else shown as sent.
 */
import { isMessageKey } from '../../../../shared/i18n';
import type { Translate } from '../../lib/i18n/i18n-context';

export function tileErrorLabel(t: Translate, code: string): string {
  const key = `tileError.${code}`;
  if (isMessageKey(key)) return t(key);
  const http = /^HTTP_(\d{3})$/.exec(code);
  if (http?.[1] !== undefined) {
    const status = http[1];
    if (status.startsWith('5')) return t('tileError.httpServer', { status });
    if (status.startsWith('4')) return t('tileError.httpClient', { status });
    return t('tileError.httpOther', { status });
  }
  return code;
}
