/** The alarms view's single-key shortcuts, on the document (never while typing or under a dialog). */
import { useEffect, useRef } from 'react';
import { isPlainShortcut } from '../../lib/keyboard';

/**
 * Calls `handle` for every plain key press while `enabled`; it returns true when it used the key
 * (which is then taken from the browser). `onRows` says the focus is on the list or on nothing, where
 * arrows and Enter belong to the list rather than to a focused button.
 */
export function useKeyboardShortcuts(
  enabled: boolean,
  handle: (event: KeyboardEvent, onRows: boolean) => boolean,
): void {
  const latest = useRef(handle);
  useEffect(() => {
    latest.current = handle;
  });
  useEffect(() => {
    if (!enabled) return;
    function onKey(event: KeyboardEvent): void {
      if (!isPlainShortcut(event)) return;
      const target = event.target;
      const onRows =
        !(target instanceof HTMLElement) ||
        target === document.body ||
        target.closest('[data-alarm-id]') !== null;
      if (latest.current(event, onRows)) event.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
