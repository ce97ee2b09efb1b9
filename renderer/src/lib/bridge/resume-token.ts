/**
 * The resume token of the person signed in on this tab (session.signIn returns it). Kept in
 * sessionStorage under `vigie.session`: it survives a reload and a reconnection, never the tab,
 * and never goes into a URL. The WebSocket transport presents it after every `hello`
 * (session.resume) so a dropped link does not sign the person out.
 */
export const RESUME_TOKEN_STORAGE_KEY = 'vigie.session';

export interface ResumeTokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function browserSessionStorage(): TokenStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch (err: unknown) {
    // Disabled by policy: the session then lasts as long as the link, not across a reload.
    console.warn('[vigie] sessionStorage is unavailable; a reload will sign the person out', err);
    return null;
  }
}

/** A store over `storage` (the tab's sessionStorage by default); failures to write are logged, never thrown. */
export function createResumeTokenStore(
  storage: TokenStorage | null = browserSessionStorage(),
): ResumeTokenStore {
  const guarded = (what: string, action: () => void): void => {
    try {
      action();
    } catch (err: unknown) {
      console.warn(`[vigie] could not ${what} the session's resume token`, err);
    }
  };
  return {
    get() {
      try {
        const value = storage?.getItem(RESUME_TOKEN_STORAGE_KEY) ?? null;
        return value !== null && value !== '' ? value : null;
      } catch (err: unknown) {
        console.warn('[vigie] could not read the session resume token', err);
        return null;
      }
    },
    set: (token) => guarded('store', () => storage?.setItem(RESUME_TOKEN_STORAGE_KEY, token)),
    clear: () => guarded('clear', () => storage?.removeItem(RESUME_TOKEN_STORAGE_KEY)),
  };
}
