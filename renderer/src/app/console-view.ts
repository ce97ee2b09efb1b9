/**
 * Which view the console shows (overview, alarms, equipment, metric explorer, dashboards, wall). Kept in
 * app state and in sessionStorage (a reload stays on the same view). The fragment carries the seat
 * credentials (`#token=...&key=...`, see lib/bridge/seat-credentials.ts) and is left to them; only
 * the query `?view=wall` (a wall display started by a script) chooses the first view.
 */
import { useCallback, useEffect, useState } from 'react';
import { isPlainShortcut } from '../lib/keyboard';

export const CONSOLE_VIEWS = ['overview', 'alarms', 'equipment', 'explorer', 'dashboards', 'wall'] as const;
export type ConsoleView = (typeof CONSOLE_VIEWS)[number];

export const VIEW_STORAGE_KEY = 'vigie.view';

/** `g` then this key switches view (as in mail and code-review tools). */
export const VIEW_KEYS: Readonly<Record<ConsoleView, string>> = {
  overview: 'o',
  alarms: 'a',
  // e is the explorer's: q as in eQuipment.
  equipment: 'q',
  explorer: 'e',
  dashboards: 'd',
  wall: 'w',
};
/** How long after `g` the second key still counts. */
export const VIEW_CHORD_MS = 1_500;

type ViewStorage = Pick<Storage, 'getItem' | 'setItem'>;

function sessionStore(): ViewStorage | null {
  try {
    return window.sessionStorage;
  } catch (err: unknown) {
    if (err instanceof DOMException) return null;
    throw err;
  }
}

function isView(value: unknown): value is ConsoleView {
  return typeof value === 'string' && (CONSOLE_VIEWS as readonly string[]).includes(value);
}

export function readStoredView(storage: ViewStorage | null): ConsoleView {
  const stored = storage?.getItem(VIEW_STORAGE_KEY) ?? null;
  return isView(stored) ? stored : 'overview';
}

function storeView(storage: ViewStorage | null, view: ConsoleView): void {
  try {
    storage?.setItem(VIEW_STORAGE_KEY, view);
  } catch (err: unknown) {
    // A full or locked storage only costs remembering the view across a reload.
    if (!(err instanceof DOMException)) throw err;
    console.warn('[vigie] the view could not be remembered', err);
  }
}

/** The view the URL query asks for (`?view=wall`), else the one stored for this tab. */
export function readInitialView(search: string, storage: ViewStorage | null): ConsoleView {
  const asked = new URLSearchParams(search).get('view');
  return isView(asked) ? asked : readStoredView(storage);
}

export function useConsoleView(): [ConsoleView, (view: ConsoleView) => void] {
  const [storage] = useState(sessionStore);
  const [view, setViewState] = useState<ConsoleView>(() =>
    readInitialView(typeof location === 'undefined' ? '' : location.search, storage),
  );
  const setView = useCallback(
    (next: ConsoleView) => {
      setViewState(next);
      storeView(storage, next);
    },
    [storage],
  );
  return [view, setView];
}

/**
 * `g o` overview, `g a` alarms, `g q` equipment, `g e` explorer, `g d` dashboards, `g w` wall (never
 * while typing or in a dialog). Listened to in the capture phase and taken from the page, so a view's
 * own single keys (the alarms view's `a` acknowledges, `e` escalates) never see a chord's keys.
 */
export function useViewShortcuts(onView: (view: ConsoleView) => void): void {
  useEffect(() => {
    let chordAt = Number.NEGATIVE_INFINITY;
    function onKey(event: KeyboardEvent): void {
      if (!isPlainShortcut(event) || event.shiftKey) return;
      if (event.key === 'g') {
        event.preventDefault();
        chordAt = event.timeStamp;
        return;
      }
      const within = event.timeStamp - chordAt <= VIEW_CHORD_MS;
      chordAt = Number.NEGATIVE_INFINITY;
      if (!within) return;
      const view = CONSOLE_VIEWS.find((v) => VIEW_KEYS[v] === event.key);
      if (!view) return;
      event.preventDefault();
      onView(view);
    }
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onView]);
}
