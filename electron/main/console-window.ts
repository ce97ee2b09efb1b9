/**
 * The operator console window: hardened webPreferences (security-policy.ts), a dark background
 * so a control room never sees a white flash, shown only once the first frame is ready, and a
 * title the shell owns (the worst current state), not the page.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { ShellLogger } from './logger';
import { consoleWebPreferences } from './security-policy';
import { hardenConsoleContents } from './web-contents-hardening';

/** Control-room dark, matching the renderer's background. */
export const CONSOLE_BACKGROUND = '#0b0f14';

export function consoleWindowOptions(preloadPath: string, title: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title,
    backgroundColor: CONSOLE_BACKGROUND,
    show: false,
    autoHideMenuBar: true,
    webPreferences: consoleWebPreferences(preloadPath),
  };
}

export interface ConsoleWindowOptions {
  readonly preloadPath: string;
  readonly url: string;
  readonly title: string;
  readonly trustedOrigins: readonly string[];
  readonly logger: ShellLogger;
}

/** A renderer that crashes is reloaded, but not more than once in this interval (no reload loop). */
const RELOAD_MIN_INTERVAL_MS = 10_000;

export function createConsoleWindow(options: ConsoleWindowOptions): BrowserWindow {
  return openShellWindow(consoleWindowOptions(options.preloadPath, options.title), options);
}

/**
 * What every window showing the console's page gets (the console, the walls): the page hardening,
 * shown once its first frame is ready, the shell's title, a crashed renderer reloaded, then the load.
 * `windowOptions` must carry `consoleWebPreferences`.
 */
export function openShellWindow(
  windowOptions: BrowserWindowConstructorOptions,
  options: Pick<ConsoleWindowOptions, 'url' | 'trustedOrigins' | 'logger'>,
): BrowserWindow {
  const { logger } = options;
  const window = new BrowserWindow(windowOptions);
  const contents = window.webContents;
  hardenConsoleContents(contents, options.trustedOrigins, logger);

  window.once('ready-to-show', () => window.show());
  // The shell's title carries the worst state; the page's <title> must not replace it.
  window.on('page-title-updated', (event) => event.preventDefault());

  let lastReload = Number.NEGATIVE_INFINITY;
  contents.on('render-process-gone', (_event, details) => {
    logger.error({ reason: details.reason, exitCode: details.exitCode }, 'renderer gone');
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const now = Date.now();
    if (now - lastReload < RELOAD_MIN_INTERVAL_MS) return;
    lastReload = now;
    contents.reload();
  });
  contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (isMainFrame) logger.error({ code, description, url: url.slice(0, 200) }, 'page failed to load');
  });

  window
    .loadURL(options.url)
    .catch((err: unknown) => logger.error({ err, url: options.url }, 'could not load the page'));
  return window;
}

/** Brings a window to the front (second instance, tray click, macOS dock). */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
