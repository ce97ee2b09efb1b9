/**
 * Which view the console shows (overview, alarms, equipment, metric explorer, dashboards, wall). Kept in
 * app state and in sessionStorage (a reload stays on the same view). The fragment carries the seat
 * token (`#token=...`, see lib/bridge/seat-credentials.ts) and is left to them; only
 * the query `?view=wall` (a wall display started by a script) chooses the first view.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Capability } from '../../../shared/api';
import { isPlainShortcut } from '../lib/keyboard';
import { useSession } from '../lib/session/session-context';

export const CONSOLE_VIEWS = [
  'overview',
  'alarms',
  'equipment',
  'explorer',
  'dashboards',
  'wall',
  'audit',
  'accounts',
  'secrets',
] as const;
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
  // a as in alarms is taken: aUdit.
  audit: 'u',
  // u is the audit's: People; K as in Keys.
  accounts: 'p',
  secrets: 'k',
};
/** What a person needs to see each view: equipment, metrics and dashboards are shared infrastructure. */
export const VIEW_ACCESS: Readonly<Record<ConsoleView, Capability>> = {
  overview: 'view',
  alarms: 'view',
  equipment: 'view.infrastructure',
  explorer: 'view.infrastructure',
  dashboards: 'view.infrastructure',
  wall: 'view',
  audit: 'audit.read',
  accounts: 'users.manage',
  secrets: 'secrets.manage',
};

/**
 * Which views this seat may open. While the session is not known yet every view is kept (a
 * reload must not forget the stored view); once known, a view the person cannot see is gone
 * from the navigation and its shortcut.
 */
export function useViewAllowed(): (view: ConsoleView) => boolean {
  const session = useSession();
  return useCallback(
    (view: ConsoleView) => session === null || session.capabilities.includes(VIEW_ACCESS[view]),
    [session],
  );
}

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
export function useViewShortcuts(
  onView: (view: ConsoleView) => void,
  allowed: (view: ConsoleView) => boolean = () => true,
): void {
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
      // A hidden view's chord does nothing, as if the view did not exist.
      if (!view || !allowed(view)) return;
      event.preventDefault();
      onView(view);
    }
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onView, allowed]);
}
