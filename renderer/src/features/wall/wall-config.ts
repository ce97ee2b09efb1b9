/**
 * What the wall shows: a playlist (`overview` for the live overview, otherwise dashboard ids) and
 * the rotation interval. Stored in localStorage per display; a URL such as
 * `?view=wall&playlist=zone-a,overview&interval=60` takes precedence (a wall started by a script).
 */
export const WALL_STORAGE_KEY = 'vigie.wall';
export const OVERVIEW_ITEM = 'overview';
export const DEFAULT_INTERVAL_SECONDS = 60;
export const MIN_INTERVAL_SECONDS = 5;
export const MAX_INTERVAL_SECONDS = 3_600;
const MAX_ITEMS = 50;
const ITEM_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface WallConfig {
  readonly playlist: readonly string[];
  readonly intervalSeconds: number;
}

type WallStorage = Pick<Storage, 'getItem' | 'setItem'>;

function cleanPlaylist(items: readonly unknown[]): string[] {
  const seen = new Set<string>();
  for (const item of items)
    if (typeof item === 'string' && ITEM_PATTERN.test(item.trim())) seen.add(item.trim());
  return [...seen].slice(0, MAX_ITEMS);
}

function cleanInterval(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  return Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, Math.round(n)));
}

/** The playlist and interval the URL asks for, where it asks for them. */
export function wallConfigFromUrl(search: string): Partial<WallConfig> {
  const params = new URLSearchParams(search);
  const result: { playlist?: string[]; intervalSeconds?: number } = {};
  const playlist = params.get('playlist');
  if (playlist !== null) result.playlist = cleanPlaylist(playlist.split(','));
  const interval = cleanInterval(params.get('interval'));
  if (interval !== null) result.intervalSeconds = interval;
  return result;
}

export function readStoredWall(storage: WallStorage | null): WallConfig | null {
  const raw = storage?.getItem(WALL_STORAGE_KEY) ?? null;
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const record = parsed as { playlist?: unknown; intervalSeconds?: unknown };
    return {
      playlist: Array.isArray(record.playlist) ? cleanPlaylist(record.playlist as unknown[]) : [],
      intervalSeconds: cleanInterval(record.intervalSeconds) ?? DEFAULT_INTERVAL_SECONDS,
    };
  } catch (err: unknown) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

export function storeWall(storage: WallStorage | null, config: WallConfig): void {
  try {
    storage?.setItem(WALL_STORAGE_KEY, JSON.stringify(config));
  } catch (err: unknown) {
    // A full or locked storage only costs remembering the playlist across a reload.
    if (!(err instanceof DOMException)) throw err;
    console.warn('[vigie] the wall playlist could not be remembered', err);
  }
}

/** URL first, then what this display stored, then nothing (the settings open). */
export function initialWallConfig(search: string, storage: WallStorage | null): WallConfig {
  const stored = readStoredWall(storage);
  const url = wallConfigFromUrl(search);
  return {
    playlist: url.playlist ?? stored?.playlist ?? [],
    intervalSeconds: url.intervalSeconds ?? stored?.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
  };
}

export function localStore(): WallStorage | null {
  try {
    return window.localStorage;
  } catch (err: unknown) {
    if (err instanceof DOMException) return null;
    throw err;
  }
}
