/**
 * The wall display entries of the application menu and the tray menu, built from `screen` data:
 * a "Wall display" submenu with one entry per display (checked where a wall is showing) and
 * "Close wall displays". Pure: the shell rebuilds the menus from it whenever displays or walls
 * change.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { translate, type Locale } from '../../shared/i18n';

/** What the menu needs to know of a display (a subset of Electron's `Display`). */
export interface WallDisplayInfo {
  readonly id: number;
  /** In device-independent pixels. */
  readonly size: { readonly width: number; readonly height: number };
  readonly scaleFactor: number;
}

/**
 * The resolution in device pixels, as the display's owner knows it: a 4K screen at 200 % is
 * 3840×2160, not its 1920×1080 device-independent size.
 */
export function devicePixels(display: WallDisplayInfo): { width: number; height: number } {
  const scale = display.scaleFactor > 0 ? display.scaleFactor : 1;
  return { width: Math.round(display.size.width * scale), height: Math.round(display.size.height * scale) };
}

/** "Display 2 — 3840×2160", with "(primary)" for the primary display; `index` counts from 0. */
export function wallDisplayLabel(
  locale: Locale,
  display: WallDisplayInfo,
  index: number,
  primaryId: number | null,
): string {
  const { width, height } = devicePixels(display);
  const key = display.id === primaryId ? 'shell.wallDisplayItemPrimary' : 'shell.wallDisplayItem';
  return translate(locale, key, { number: index + 1, width, height });
}

export interface WallMenuState {
  /** In `screen.getAllDisplays()` order, which numbers them. */
  readonly displays: readonly WallDisplayInfo[];
  readonly primaryId: number | null;
  /** Displays that show a wall now. */
  readonly openIds: ReadonlySet<number>;
}

export interface WallMenuActions {
  /** Opens a wall on the display, or brings its wall to the front. */
  readonly openWall: (displayId: number) => void;
  readonly closeWalls: () => void;
}

export function wallMenuItems(
  locale: Locale,
  state: WallMenuState,
  actions: WallMenuActions,
): MenuItemConstructorOptions[] {
  const displays: MenuItemConstructorOptions[] = state.displays.map((display, index) => ({
    label: wallDisplayLabel(locale, display, index, state.primaryId),
    type: 'checkbox',
    checked: state.openIds.has(display.id),
    click: () => actions.openWall(display.id),
  }));
  return [
    {
      label: translate(locale, 'shell.wallDisplay'),
      submenu:
        displays.length > 0
          ? displays
          : [{ label: translate(locale, 'shell.wallNoDisplay'), enabled: false }],
    },
    {
      label: translate(locale, 'shell.wallCloseAll'),
      enabled: state.openIds.size > 0,
      click: () => actions.closeWalls(),
    },
  ];
}
