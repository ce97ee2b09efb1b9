/**
 * Single sign-on on the desktop opens the identity provider in the system browser (RFC 8252: a
 * native app never shows the provider's page in its own window). The console cannot open
 * windows (window.open is denied), so main opens the one URL the engine itself produced for a
 * sign-in flow, when the answer to `session.oidcStart` passes through the IPC router: never a
 * URL the renderer chose.
 */
import type { Envelope } from '../../shared/api';

/** The provider URL to open for this answer, or null: https, or http on loopback only. */
export function signInUrlToOpen(channel: string, answer: Envelope<unknown>): string | null {
  if (channel !== 'session.oidcStart' || !answer.ok) return null;
  const value = answer.value as { url?: unknown };
  if (typeof value.url !== 'string') return null;
  let url: URL;
  try {
    url = new URL(value.url);
  } catch {
    return null;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.toString();
  return null;
}
