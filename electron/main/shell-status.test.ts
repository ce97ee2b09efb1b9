import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../shared/domain/status';
import { ShellStatus, trayTooltip, windowTitle } from './shell-status';
import { pickLocale } from './shell-strings';

describe('ShellStatus', () => {
  it('starts unknown: no data is never up', () => {
    expect(new ShellStatus().status).toBe('unknown');
  });

  it('takes the status and training flag of an overview', () => {
    const s = new ShellStatus();
    expect(s.applyOverview({ revision: 1, status: 'down', training: true })).toBe(true);
    expect([s.status, s.training]).toEqual(['down', true]);
    expect(s.applyOverview({ revision: 2, status: 'down', training: true })).toBe(false);
  });

  it('drops an overview older than the one it holds', () => {
    const s = new ShellStatus();
    s.applyOverview({ revision: 5, status: 'degraded' });
    expect(s.applyOverview({ revision: 4, status: 'up' })).toBe(false);
    expect(s.status).toBe('degraded');
  });

  it.each([null, 'down', {}, { status: 'green' }, { status: 3 }])(
    'ignores the malformed payload %j',
    (payload) => {
      const s = new ShellStatus();
      expect(s.applyOverview(payload)).toBe(false);
      expect(s.status).toBe('unknown');
    },
  );

  it('falls back to unknown when the engine goes down, and accepts a restarted engine from revision 0', () => {
    const s = new ShellStatus();
    s.applyOverview({ revision: 90, status: 'up' });
    expect(s.engineDown()).toBe(true);
    expect(s.status).toBe('unknown');
    expect(s.applyOverview({ revision: 0, status: 'up' })).toBe(true);
  });
});

describe('title and tooltip', () => {
  it('name the worst state in the operator language, and say TRAINING', () => {
    expect(windowTitle('down', false, 'en')).toBe('Vigie — Down');
    expect(windowTitle('unknown', true, 'en')).toBe('Vigie — No data — TRAINING');
    expect(windowTitle('degraded', false, 'fr')).not.toBe(windowTitle('degraded', false, 'en'));
    expect(trayTooltip('maintenance', true, 'en')).toBe('Vigie: Maintenance (TRAINING)');
  });

  it('differ for every status, so unknown never reads as up', () => {
    for (const locale of ['en', 'fr', 'nl'] as const) {
      expect(new Set(STATUSES.map((s) => windowTitle(s, false, locale))).size).toBe(STATUSES.length);
      expect(new Set(STATUSES.map((s) => trayTooltip(s, false, locale))).size).toBe(STATUSES.length);
    }
  });

  it('picks the first supported system language', () => {
    expect(pickLocale(['de-DE', 'nl-BE', 'fr-BE'])).toBe('nl');
    expect(pickLocale(['fr_BE'])).toBe('fr');
    expect(pickLocale(['ja'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
});
