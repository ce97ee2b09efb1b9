/**
 * Moving through the tiles with the keyboard. Left/right and j/k follow reading order; up/down
 * follow the layout (the tile in the row above/below whose centre is closest), so they work
 * however many columns the screen fits. Without layout boxes (zero-size, as in jsdom) up/down
 * fall back to reading order.
 */
import { missingCase } from '../../../../shared/domain/missing-case';

export type GridMove = 'next' | 'previous' | 'up' | 'down' | 'first' | 'last';

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export function moveForKey(key: string): GridMove | null {
  switch (key) {
    case 'ArrowRight':
    case 'j':
      return 'next';
    case 'ArrowLeft':
    case 'k':
      return 'previous';
    case 'ArrowDown':
      return 'down';
    case 'ArrowUp':
      return 'up';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return null;
  }
}

function clamp(index: number, count: number): number {
  return Math.min(Math.max(index, 0), count - 1);
}

function vertical(current: number, direction: 1 | -1, boxes: readonly Box[]): number | null {
  const here = boxes[current];
  if (!here || here.height === 0) return null;
  const centre = here.left + here.width / 2;
  const tolerance = here.height / 2;
  let best: { index: number; rowGap: number; offset: number } | null = null;
  for (const [index, box] of boxes.entries()) {
    const rowGap = (box.top - here.top) * direction;
    if (index === current || box.height === 0 || rowGap < tolerance) continue;
    const offset = Math.abs(box.left + box.width / 2 - centre);
    if (best === null) {
      best = { index, rowGap, offset };
      continue;
    }
    const sameRow = Math.abs(rowGap - best.rowGap) < tolerance;
    if ((sameRow && offset < best.offset) || (!sameRow && rowGap < best.rowGap))
      best = { index, rowGap, offset };
  }
  return best === null ? current : best.index;
}

/** The index focus moves to from `current` among `boxes.length` tiles. */
export function targetIndex(current: number, move: GridMove, boxes: readonly Box[]): number {
  const count = boxes.length;
  if (count === 0) return -1;
  switch (move) {
    case 'next':
      return clamp(current + 1, count);
    case 'previous':
      return clamp(current - 1, count);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
    case 'down':
      return vertical(current, 1, boxes) ?? clamp(current + 1, count);
    case 'up':
      return vertical(current, -1, boxes) ?? clamp(current - 1, count);
    default:
      throw missingCase(move);
  }
}
