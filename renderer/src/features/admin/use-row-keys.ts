/**
 * Single-key shortcuts of the administrators' tables, on the document (never while typing or
 * under a dialog, see lib/keyboard.ts): j/k (and the arrows on the rows) move, Enter opens the
 * selected row, n starts a new one, / goes to the filter.
 */
import { useEffect, useRef } from 'react';
import { isPlainShortcut } from '../../lib/keyboard';

export interface RowKeyHandlers {
  readonly move: (by: 1 | -1 | 'first' | 'last') => void;
  readonly open: () => void;
  readonly create: () => void;
  readonly filter: () => void;
}

export function useRowKeys(enabled: boolean, handlers: RowKeyHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    function onKey(event: KeyboardEvent): void {
      if (!isPlainShortcut(event) || event.shiftKey) return;
      const target = event.target;
      // Arrows and Enter belong to a focused button or link, unless the focus is on a row.
      const onRows =
        !(target instanceof HTMLElement) || target === document.body || target.closest('[data-row]') !== null;
      const h = latest.current;
      if (event.key === 'j' || (onRows && event.key === 'ArrowDown')) h.move(1);
      else if (event.key === 'k' || (onRows && event.key === 'ArrowUp')) h.move(-1);
      else if (onRows && event.key === 'Home') h.move('first');
      else if (onRows && event.key === 'End') h.move('last');
      else if (onRows && event.key === 'Enter') h.open();
      else if (event.key === 'n') h.create();
      else if (event.key === '/') h.filter();
      else return;
      event.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
