/** A minimal application menu: edit shortcuts for text fields, zoom, full screen, quit. */
import type { MenuItemConstructorOptions } from 'electron';

export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  isPackaged: boolean,
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
    ],
  };
  if (platform === 'darwin') return [{ role: 'appMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
  return [{ role: 'fileMenu' }, { role: 'editMenu' }, view];
}
