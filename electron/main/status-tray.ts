/**
 * The tray icon: the worst current state as a shape, a colour and a tooltip; show console, the
 * wall display entries, quit.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { Locale } from '../../shared/i18n';
import type { Status } from '../../shared/domain/status';
import { shellWords } from './shell-strings';
import { trayTooltip, type OutstandingAlarms } from './shell-status';
import { statusIconPngs } from './status-icon';

export interface StatusTray {
  show(status: Status, training: boolean, alarms?: OutstandingAlarms): void;
  /** Rebuilds the menu (the wall entries follow the displays and the open walls). */
  refreshMenu(): void;
  destroy(): void;
}

export interface StatusTrayOptions {
  readonly locale: Locale;
  readonly onShowConsole: () => void;
  readonly onQuit: () => void;
  /** Entries between "show console" and "quit", read again on every `refreshMenu`. */
  readonly moreItems?: () => MenuItemConstructorOptions[];
}

export function statusImage(status: Status): NativeImage {
  const { x1, x2 } = statusIconPngs(status);
  const image = nativeImage.createFromBuffer(x1, { scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, buffer: x2 });
  return image;
}

export function createStatusTray(options: StatusTrayOptions): StatusTray {
  const images = new Map<Status, NativeImage>();
  const imageFor = (status: Status): NativeImage => {
    let image = images.get(status);
    if (!image) {
      image = statusImage(status);
      images.set(status, image);
    }
    return image;
  };
  const words = shellWords(options.locale);
  const tray = new Tray(imageFor('unknown'));
  tray.setToolTip(trayTooltip('unknown', false, options.locale));
  const refreshMenu = (): void => {
    const more = options.moreItems?.() ?? [];
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: words.showConsole, click: () => options.onShowConsole() },
        ...(more.length > 0 ? [{ type: 'separator' } as const, ...more] : []),
        { type: 'separator' },
        { label: words.quit, click: () => options.onQuit() },
      ]),
    );
  };
  refreshMenu();
  tray.on('click', () => options.onShowConsole());
  return {
    show(status, training, alarms) {
      tray.setImage(imageFor(status));
      tray.setToolTip(trayTooltip(status, training, options.locale, alarms));
    },
    refreshMenu,
    destroy() {
      tray.destroy();
    },
  };
}
