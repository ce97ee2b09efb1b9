import { describe, expect, it } from 'vitest';
import { translate } from '../../../../shared/i18n';
import { tileErrorLabel } from './tile-error';

describe('tileErrorLabel', () => {
  const fr = (code: string) => tileErrorLabel((key, params) => translate('fr', key, params), code);
  it('translates known codes and HTTP statuses by class, and shows unknown codes as sent', () => {
    expect(fr('TIMEOUT')).toBe('Délai dépassé');
    expect(fr('HTTP_503')).toBe('Erreur serveur (HTTP 503)');
    expect(fr('HTTP_404')).toBe('Requête refusée (HTTP 404)');
    expect(fr('HTTP_302')).toBe('Réponse inattendue (HTTP 302)');
    expect(fr('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});
