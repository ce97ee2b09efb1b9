/**
 * Wall displays: a full-screen kiosk window on a chosen display showing the console's wall view
 * (`?view=wall`; the renderer rotates the playlist and shows the clock and the last update, so a
 * frozen wall is obvious). A wall is a console page like any other: the same hardened
 * webPreferences, navigation rules, title and crash reload (console-window.ts). At most one wall
 * per display; while at least one is open the displays are kept awake by exactly one
 * powerSaveBlocker, released when the last wall closes. A display that goes away takes its wall
 * with it.
 */
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Display,
  PowerSaveBlocker,
  Rectangle,
  Screen,
} from 'electron';
import { CONSOLE_BACKGROUND, openShellWindow, revealWindow } from './console-window';
import type { ShellLogger } from './logger';
import { consoleWebPreferences } from './security-policy';
import type { WallMenuState } from './wall-menu';

/** The renderer shows the wall when loaded with `?view=wall`. */
export const WALL_VIEW = 'wall';

export interface WallParams {
  /** Dashboard ids to rotate through; the renderer's default when absent. */
  readonly playlist?: readonly string[];
  /** Seconds per dashboard; the renderer's default when absent. */
  readonly intervalSeconds?: number;
}

/**
 * The wall view of the console page at `consoleUrl` (app://vigie/index.html, or the dev server):
 * `…/index.html?view=wall[&playlist=a,b][&interval=60]`. Any query or fragment of `consoleUrl`
 * is dropped; ids are percent-encoded, the commas between them are not.
 */
export function wallUrl(consoleUrl: string, params: WallParams = {}): string {
  const base = consoleUrl.replace(/[?#][\s\S]*$/, '');
  const query = [`view=${WALL_VIEW}`];
  const ids = (params.playlist ?? []).filter((id) => id !== '');
  if (ids.length > 0) query.push(`playlist=${ids.map(encodeURIComponent).join(',')}`);
  const interval = params.intervalSeconds;
  if (interval !== undefined && Number.isSafeInteger(interval) && interval > 0)
    query.push(`interval=${interval}`);
  return `${base}?${query.join('&')}`;
}

/** Kiosk and full screen on the display at `bounds`, on the console's dark background. */
export function wallWindowOptions(
  preloadPath: string,
  title: string,
  bounds: Rectangle,
): BrowserWindowConstructorOptions {
  return {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    kiosk: true,
    fullscreen: true,
    title,
    backgroundColor: CONSOLE_BACKGROUND,
    show: false,
    autoHideMenuBar: true,
    webPreferences: consoleWebPreferences(preloadPath),
  };
}

export interface WallWindowOptions {
  readonly preloadPath: string;
  /** The console page; the wall loads its wall view (see `wallUrl`). */
  readonly consoleUrl: string;
  readonly params?: WallParams;
  readonly title: string;
  readonly display: Pick<Display, 'bounds'>;
  readonly trustedOrigins: readonly string[];
  readonly platform: NodeJS.Platform;
  readonly logger: ShellLogger;
}

export function createWallWindow(options: WallWindowOptions): BrowserWindow {
  const window = openShellWindow(
    wallWindowOptions(options.preloadPath, options.title, options.display.bounds),
    {
      url: wallUrl(options.consoleUrl, options.params),
      trustedOrigins: options.trustedOrigins,
      logger: options.logger,
    },
  );
  // No menu bar on a wall (macOS has one application menu, not one per window).
  if (options.platform !== 'darwin') window.removeMenu();
  return window;
}

export interface WallWindowsOptions {
  readonly screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay' | 'on'>;
  readonly powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop'>;
  /** Creates the wall window for `display` (see `createWallWindow`); the shell registers it. */
  readonly createWindow: (display: Display) => BrowserWindow;
  /** Walls opened, focused or closed, displays added, removed or changed: menus are to be rebuilt. */
  readonly onChange: () => void;
  readonly logger: ShellLogger;
}

/** The open walls, one per display id, and the one power save blocker they hold. */
export class WallWindows {
  private readonly walls = new Map<number, BrowserWindow>();
  private blockerId: number | null = null;

  constructor(private readonly options: WallWindowsOptions) {
    const { screen, logger } = options;
    screen.on('display-added', (_event, display) => {
      logger.info({ displayId: display.id, bounds: display.bounds }, 'display added');
      options.onChange();
    });
    screen.on('display-removed', (_event, display) => {
      const wall = this.walls.get(display.id);
      logger.info({ displayId: display.id, hadWall: wall !== undefined }, 'display removed');
      if (wall && !wall.isDestroyed()) {
        // Forced: the OS would otherwise move a kiosk window onto a remaining display, over the
        // console, and a page's beforeunload must not keep it there.
        wall.destroy();
        logger.warn({ displayId: display.id }, 'wall closed: its display was removed');
      }
      options.onChange();
    });
    screen.on('display-metrics-changed', () => options.onChange());
  }

  /** The displays a wall can be opened on, in `screen` order. */
  displays(): Display[] {
    return this.options.screen.getAllDisplays();
  }

  /** Ids of the displays that show a wall. */
  openDisplayIds(): ReadonlySet<number> {
    return new Set(this.walls.keys());
  }

  /** What the wall menu entries show (wall-menu.ts). */
  menuState(): WallMenuState {
    const displays = this.displays();
    return {
      displays,
      primaryId: displays.length > 0 ? this.options.screen.getPrimaryDisplay().id : null,
      openIds: this.openDisplayIds(),
    };
  }

  isWall(window: BrowserWindow): boolean {
    return [...this.walls.values()].includes(window);
  }

  /**
   * Opens a wall on the display, or brings the one it has to the front. Returns null (and logs)
   * when the display is gone, e.g. chosen from a menu built before it was unplugged.
   */
  open(displayId: number): BrowserWindow | null {
    const existing = this.walls.get(displayId);
    if (existing && !existing.isDestroyed()) {
      revealWindow(existing);
      // Its menu entry is a checkbox, which unchecks itself when clicked: draw it again.
      this.options.onChange();
      return existing;
    }
    const display = this.displays().find((d) => d.id === displayId);
    if (!display) {
      this.options.logger.warn({ displayId }, 'no such display: wall not opened');
      this.options.onChange();
      return null;
    }
    let window: BrowserWindow;
    try {
      window = this.options.createWindow(display);
    } catch (err: unknown) {
      this.options.logger.error({ err, displayId }, 'could not open a wall');
      return null;
    }
    this.walls.set(displayId, window);
    window.on('closed', () => this.forget(displayId, window));
    this.holdBlocker();
    this.options.logger.info({ displayId, bounds: display.bounds }, 'wall opened');
    this.options.onChange();
    return window;
  }

  /** Closes every wall (their pages may still refuse, as any window's). */
  closeAll(): void {
    for (const window of [...this.walls.values()]) if (!window.isDestroyed()) window.close();
  }

  private forget(displayId: number, window: BrowserWindow): void {
    if (this.walls.get(displayId) !== window) return;
    this.walls.delete(displayId);
    this.options.logger.info({ displayId }, 'wall closed');
    if (this.walls.size === 0) this.releaseBlocker();
    this.options.onChange();
  }

  private holdBlocker(): void {
    if (this.blockerId !== null) return;
    this.blockerId = this.options.powerSaveBlocker.start('prevent-display-sleep');
    this.options.logger.info({ blockerId: this.blockerId }, 'keeping the displays awake');
  }

  private releaseBlocker(): void {
    if (this.blockerId === null) return;
    this.options.powerSaveBlocker.stop(this.blockerId);
    this.options.logger.info({ blockerId: this.blockerId }, 'displays may sleep again');
    this.blockerId = null;
  }
}
