/** The tray icon: the worst current state as a shape, a colour and a tooltip; show console, quit. */
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import type { Locale } from '../../shared/i18n';
import type { Status } from '../../shared/domain/status';
import { shellWords } from './shell-strings';
import { trayTooltip } from './shell-status';
import { statusIconPngs } from './status-icon';

export interface StatusTray {
  show(status: Status, training: boolean): void;
  destroy(): void;
}

export interface StatusTrayOptions {
  readonly locale: Locale;
  readonly onShowConsole: () => void;
  readonly onQuit: () => void;
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
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: words.showConsole, click: () => options.onShowConsole() },
      { type: 'separator' },
      { label: words.quit, click: () => options.onQuit() },
    ]),
  );
  tray.on('click', () => options.onShowConsole());
  return {
    show(status, training) {
      tray.setImage(imageFor(status));
      tray.setToolTip(trayTooltip(status, training, options.locale));
    },
    destroy() {
      tray.destroy();
    },
  };
}
