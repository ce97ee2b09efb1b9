/**
 * Per-page and per-session hardening (https://www.electronjs.org/docs/latest/tutorial/security):
 * no navigation away from the console, no new windows, no <webview>, no permission granted.
 * The decisions are in security-policy.ts; this file only wires them to Electron's hooks.
 */
import type { Session, WebContents } from 'electron';
import { isNavigationAllowed, isPermissionGranted, WINDOW_OPEN_DECISION } from './security-policy';

export interface HardeningLogger {
  warn(obj: object, msg: string): void;
}

/** For every WebContents the app creates: no window.open, no <webview>. */
export function denyPopupsAndWebviews(contents: WebContents, logger: HardeningLogger): void {
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn({ url: url.slice(0, 200) }, 'window.open denied');
    return WINDOW_OPEN_DECISION;
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn({}, '<webview> denied');
  });
}

/** For a console window's page: the above, and navigation only within the console's origin. */
export function hardenConsoleContents(
  contents: WebContents,
  trusted: readonly string[],
  logger: HardeningLogger,
): void {
  denyPopupsAndWebviews(contents, logger);
  contents.on('will-navigate', (event) => {
    if (isNavigationAllowed(event.url, trusted)) return;
    event.preventDefault();
    logger.warn({ url: event.url.slice(0, 200) }, 'navigation denied');
  });
  contents.on('will-redirect', (event) => {
    if (isNavigationAllowed(event.url, trusted)) return;
    event.preventDefault();
    logger.warn({ url: event.url.slice(0, 200) }, 'redirect denied');
  });
}

/** Electron grants every permission by default: deny requests, checks and device access. */
export function hardenSession(session: Session, logger: HardeningLogger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = isPermissionGranted(permission);
    if (!granted) logger.warn({ permission }, 'permission request denied');
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  session.setDevicePermissionHandler(() => false);
}
