/**
 * A browser seat is opened with a link such as `https://host/#token=...`: the seat token the
 * server requires before it says `hello`. It travels in the fragment so it never reaches server
 * logs or Referer headers; the console moves it to sessionStorage (gone when the tab closes) and
 * removes it from the address bar at once. People then sign in on the seat (session.signIn); the
 * tab keeps only a resume token for that session (resume-token.ts).
 *
 * Links from before issue 6 may still carry `&key=<operator key>`: the key grants nothing any
 * more, so it is taken out of the address bar and out of storage, never used.
 */
export interface SeatCredentials {
  readonly token: string | null;
}

export type CredentialStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const SEAT_TOKEN_STORAGE_KEY = 'vigie.seatToken';
/** Where consoles before issue 6 kept the operator key; cleared on sight. */
export const LEGACY_OPERATOR_KEY_STORAGE_KEY = 'vigie.operatorKey';

interface LocationLike {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}
interface HistoryLike {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

function nonEmpty(value: string | null): string | null {
  return value !== null && value.trim() !== '' ? value : null;
}

/**
 * Reads the seat token from the URL fragment (and then forgets it there) or, after a reload,
 * from sessionStorage.
 */
export function takeSeatCredentials(
  location: LocationLike,
  history: HistoryLike,
  storage: CredentialStorage | null,
): SeatCredentials {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fragmentToken = nonEmpty(params.get('token'));

  if (params.has('token') || params.has('key')) {
    params.delete('token');
    params.delete('key');
    const rest = params.toString();
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`,
    );
  }
  storage?.removeItem(LEGACY_OPERATOR_KEY_STORAGE_KEY);

  if (fragmentToken !== null) {
    storage?.setItem(SEAT_TOKEN_STORAGE_KEY, fragmentToken);
    return { token: fragmentToken };
  }
  return { token: storage ? nonEmpty(storage.getItem(SEAT_TOKEN_STORAGE_KEY)) : null };
}

/** The engine's WebSocket endpoint on the page's own origin (http→ws, https→wss). */
export function webSocketUrl(origin: string, token: string): string {
  return `${origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;
}
