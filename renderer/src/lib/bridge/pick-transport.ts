/**
 * Electron or browser seat? In Electron the preload has put a `RawBridge` on `window.vigie`;
 * anywhere else (a browser on `vigie serve`, a wall display) the console talks WebSocket to the
 * origin that served it.
 */
import { createIpcTransport, isRawBridge } from './ipc-transport';
import { createResumeTokenStore } from './resume-token';
import { takeSeatCredentials, webSocketUrl, type CredentialStorage } from './seat-credentials';
import { consoleDiagnostics, type Transport } from './transport';
import { createWebSocketTransport } from './ws-transport';

function sessionStorageOf(win: Window): CredentialStorage | null {
  try {
    return win.sessionStorage;
  } catch (err: unknown) {
    // Storage can be disabled by policy: the seat then works for this page load only.
    consoleDiagnostics('sessionStorage is unavailable; the seat token will not survive a reload', err);
    return null;
  }
}

/**
 * A seat link pasted into a tab that already shows the console only changes the fragment (no
 * page load). Take its credentials and start over, so the new token is actually used.
 */
function reloadOnNewSeatLink(win: Window): void {
  win.addEventListener('hashchange', () => {
    const params = new URLSearchParams(win.location.hash.replace(/^#/, ''));
    if (!params.has('token') && !params.has('key')) return;
    takeSeatCredentials(win.location, win.history, sessionStorageOf(win));
    // An old link's `key` alone is only wiped from the address bar: it changes nothing.
    if (params.has('token')) win.location.reload();
  });
}

export function pickTransport(win: Window): Transport {
  const exposed: unknown = Reflect.get(win, 'vigie');
  if (isRawBridge(exposed)) return createIpcTransport(exposed);

  const credentials = takeSeatCredentials(win.location, win.history, sessionStorageOf(win));
  reloadOnNewSeatLink(win);
  return createWebSocketTransport({
    url: credentials.token === null ? null : webSocketUrl(win.location.origin, credentials.token),
    resumeTokens: createResumeTokenStore(sessionStorageOf(win)),
    createSocket: (url) => new WebSocket(url),
  });
}
