/**
 * A minimal application menu: edit shortcuts for text fields, zoom, full screen, the wall
 * display entries (wall-menu.ts), quit.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  isPackaged: boolean,
  wallItems: readonly MenuItemConstructorOptions[] = [],
): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions = {
    role: 'viewMenu',
    submenu: [
      { role: 'reload' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      // Developer tools only when unpackaged: an operator seat has no use for them.
      ...(isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      ...(wallItems.length > 0 ? [{ type: 'separator' } as const, ...wallItems] : []),
    ],
  };
  if (platform === 'darwin') return [{ role: 'appMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
  return [{ role: 'fileMenu' }, { role: 'editMenu' }, view];
}
