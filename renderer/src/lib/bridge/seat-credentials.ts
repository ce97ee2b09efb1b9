/**
 * A browser seat is opened with a link such as `https://host/#token=...&key=...`: the seat token
 * (required by the server) and, for operators, the operator key. They travel in the fragment so
 * they never reach server logs or Referer headers; the console moves them to sessionStorage
 * (gone when the tab closes) and removes them from the address bar at once.
 */
export interface SeatCredentials {
  readonly token: string | null;
  readonly operatorKey: string | null;
}

export type CredentialStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const SEAT_TOKEN_STORAGE_KEY = 'vigie.seatToken';
export const OPERATOR_KEY_STORAGE_KEY = 'vigie.operatorKey';

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

function read(storage: CredentialStorage | null, key: string): string | null {
  return storage ? nonEmpty(storage.getItem(key)) : null;
}

/**
 * Reads the credentials from the URL fragment (and then forgets them there) or, after a reload,
 * from sessionStorage. A fragment with a token starts a new seat session: a key stored by an
 * earlier link is dropped unless the new link carries one.
 */
export function takeSeatCredentials(
  location: LocationLike,
  history: HistoryLike,
  storage: CredentialStorage | null,
): SeatCredentials {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fragmentToken = nonEmpty(params.get('token'));
  const fragmentKey = nonEmpty(params.get('key'));

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

  if (fragmentToken !== null) {
    if (storage) {
      storage.setItem(SEAT_TOKEN_STORAGE_KEY, fragmentToken);
      if (fragmentKey !== null) storage.setItem(OPERATOR_KEY_STORAGE_KEY, fragmentKey);
      else storage.removeItem(OPERATOR_KEY_STORAGE_KEY);
    }
    return { token: fragmentToken, operatorKey: fragmentKey };
  }
  if (fragmentKey !== null && storage) storage.setItem(OPERATOR_KEY_STORAGE_KEY, fragmentKey);
  return {
    token: read(storage, SEAT_TOKEN_STORAGE_KEY),
    operatorKey: fragmentKey ?? read(storage, OPERATOR_KEY_STORAGE_KEY),
  };
}

/** The engine's WebSocket endpoint on the page's own origin (http→ws, https→wss). */
export function webSocketUrl(origin: string, token: string): string {
  return `${origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;
}
