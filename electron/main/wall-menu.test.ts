import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate } from './app-menu';
import { devicePixels, wallDisplayLabel, wallMenuItems, type WallMenuState } from './wall-menu';

const hd = { id: 11, size: { width: 1920, height: 1080 }, scaleFactor: 1 };
const uhd = { id: 22, size: { width: 1920, height: 1080 }, scaleFactor: 2 };
const state = (openIds: number[] = []): WallMenuState => ({
  displays: [hd, uhd],
  primaryId: 11,
  openIds: new Set(openIds),
});

function setUp(s: WallMenuState, locale: 'en' | 'fr' | 'nl' = 'en') {
  const actions = { openWall: vi.fn(), closeWalls: vi.fn() };
  const [wall, closeAll] = wallMenuItems(locale, s, actions);
  const entries = (wall?.submenu ?? []) as MenuItemConstructorOptions[];
  return { actions, wall: wall!, closeAll: closeAll!, entries };
}

describe('wall display labels', () => {
  it('number displays from 1, in device pixels, marking the primary one', () => {
    expect(wallDisplayLabel('en', hd, 0, 11)).toBe('Display 1 — 1920×1080 (primary)');
    expect(wallDisplayLabel('en', uhd, 1, 11)).toBe('Display 2 — 3840×2160');
    expect(devicePixels({ id: 1, size: { width: 1536, height: 864 }, scaleFactor: 1.25 })).toEqual({
      width: 1920,
      height: 1080,
    });
  });

  it('are translated', () => {
    expect(wallDisplayLabel('fr', hd, 0, 11)).toBe('Écran 1 — 1920×1080 (principal)');
    expect(wallDisplayLabel('fr', uhd, 1, 11)).toBe('Écran 2 — 3840×2160');
    expect(wallDisplayLabel('nl', hd, 0, 11)).toBe('Scherm 1 — 1920×1080 (primair)');
    expect(wallDisplayLabel('nl', uhd, 1, 11)).toBe('Scherm 2 — 3840×2160');
  });
});

describe('the wall menu entries', () => {
  it('list every display under "Wall display", then "Close wall displays"', () => {
    const { wall, closeAll, entries } = setUp(state());
    expect(wall.label).toBe('Wall display');
    expect(entries.map((e) => e.label)).toEqual(['Display 1 — 1920×1080 (primary)', 'Display 2 — 3840×2160']);
    expect(closeAll.label).toBe('Close wall displays');
  });

  it('are translated in French and Dutch', () => {
    const fr = setUp(state(), 'fr');
    expect([fr.wall.label, ...fr.entries.map((e) => e.label), fr.closeAll.label]).toEqual([
      'Affichage mural',
      'Écran 1 — 1920×1080 (principal)',
      'Écran 2 — 3840×2160',
      'Fermer les affichages muraux',
    ]);
    const nl = setUp(state(), 'nl');
    expect([nl.wall.label, ...nl.entries.map((e) => e.label), nl.closeAll.label]).toEqual([
      'Wandscherm',
      'Scherm 1 — 1920×1080 (primair)',
      'Scherm 2 — 3840×2160',
      'Wandschermen sluiten',
    ]);
  });

  it('check the displays that show a wall and open the chosen one', () => {
    const { entries, actions } = setUp(state([22]));
    expect(entries.map((e) => [e.type, e.checked])).toEqual([
      ['checkbox', false],
      ['checkbox', true],
    ]);
    entries[1]?.click?.({} as never, undefined, {});
    expect(actions.openWall).toHaveBeenCalledExactlyOnceWith(22);
  });

  it('enable "Close wall displays" only while a wall is open', () => {
    expect(setUp(state()).closeAll.enabled).toBe(false);
    const { closeAll, actions } = setUp(state([11]));
    expect(closeAll.enabled).toBe(true);
    closeAll.click?.({} as never, undefined, {});
    expect(actions.closeWalls).toHaveBeenCalledTimes(1);
  });

  it('say so when there is no display', () => {
    const { entries } = setUp({ displays: [], primaryId: null, openIds: new Set() });
    expect(entries).toEqual([{ label: 'No display found', enabled: false }]);
  });

  it('sit at the end of the View menu, on every platform', () => {
    const items = setUp(state()).wall;
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const view = applicationMenuTemplate(platform, true, [items]).find((m) => m.role === 'viewMenu');
      const submenu = view?.submenu as MenuItemConstructorOptions[];
      expect(submenu.at(-1)).toBe(items);
      expect(submenu.at(-2)).toEqual({ type: 'separator' });
    }
    const plain = applicationMenuTemplate('linux', true).find((m) => m.role === 'viewMenu');
    expect((plain?.submenu as MenuItemConstructorOptions[]).at(-1)).toEqual({ role: 'togglefullscreen' });
  });
});
