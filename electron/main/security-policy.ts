/**
 * The shell's security decisions as data and pure functions, so unit tests can pin them without
 * Electron (PITFALLS: Electron grants every permission by default and shows its warnings only in
 * an unpackaged app's console, so hardening must be asserted by tests, not by eye).
 * See https://www.electronjs.org/docs/latest/tutorial/security for the checklist this follows.
 */
import type { WebPreferences } from 'electron';

/** The custom scheme the console is served from (registered privileged, before `ready`). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vigie';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Sent with every response of the app:// scheme; the same policy as browser seats get. */
export { CONTENT_SECURITY_POLICY } from '../../shared/api/content-security-policy';

/** The webPreferences of every console window: sandboxed, isolated, no Node in the page. */
export function consoleWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

/**
 * The origin of a URL as the shell compares it. WHATWG URL gives every non-special scheme
 * (app:) the opaque origin "null", so app:// origins are rebuilt from scheme and host.
 * Returns null for anything that is not app://, http:// or https://.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === `${APP_SCHEME}:`)
    return parsed.host === '' ? null : `${APP_SCHEME}://${parsed.host.toLowerCase()}`;
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  return null;
}

/**
 * The origins whose pages may use the bridge and navigate within the console: app://vigie, plus
 * electron-vite's dev server (loopback only) when running unpackaged under `npm run dev`.
 */
export function trustedOrigins(devRendererUrl: string | undefined, isPackaged: boolean): readonly string[] {
  if (isPackaged || devRendererUrl === undefined || devRendererUrl === '') return [APP_ORIGIN];
  const dev = originOf(devRendererUrl);
  if (dev === null) return [APP_ORIGIN];
  const host = new URL(dev).hostname;
  const loopback = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  return loopback && dev.startsWith('http://') ? [APP_ORIGIN, dev] : [APP_ORIGIN];
}

export function isTrustedUrl(url: string, trusted: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && trusted.includes(origin);
}

/** What the IPC router knows about the frame that called it. */
export interface SenderInfo {
  /** The sending frame's URL; null when the frame is gone (navigated away or destroyed). */
  readonly frameUrl: string | null;
  /** The sender is the top frame of its WebContents (not an iframe). */
  readonly isMainFrame: boolean;
  /** The WebContents belongs to one of the shell's console windows. */
  readonly fromOurWindow: boolean;
}

export type SenderDecision = { allowed: true } | { allowed: false; reason: string };

/** Only the main frame of one of our windows, showing our origin, may call the engine. */
export function checkIpcSender(sender: SenderInfo, trusted: readonly string[]): SenderDecision {
  if (!sender.fromOurWindow) return { allowed: false, reason: 'sender is not a console window' };
  if (sender.frameUrl === null) return { allowed: false, reason: 'sender frame is gone' };
  if (!sender.isMainFrame) return { allowed: false, reason: 'sender is a subframe' };
  if (!isTrustedUrl(sender.frameUrl, trusted))
    return { allowed: false, reason: 'sender origin is not the console' };
  return { allowed: true };
}

/** Navigation (will-navigate, will-redirect) stays within the console's own origin. */
export function isNavigationAllowed(url: string, trusted: readonly string[]): boolean {
  return isTrustedUrl(url, trusted);
}

/**
 * Permission policy: the console needs no camera, microphone, geolocation, notifications from
 * the page (the shell shows its own), clipboard read, HID, serial or anything else. The one
 * exception is writing sanitized text to the clipboard ("Copy query", correlation ids): it reads
 * nothing and the page can only be our own (navigation away is denied).
 */
export function isPermissionGranted(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/** window.open and target=_blank links never create a window. */
export const WINDOW_OPEN_DECISION = { action: 'deny' } as const;
