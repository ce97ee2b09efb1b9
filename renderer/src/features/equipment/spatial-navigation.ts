/**
 * Moving between device tiles with the keyboard, on racks drawn side by side: the arrows follow
 * the layout in all four directions (up and down within a rack or a column, left and right to the
 * nearest device of the next rack or of the list beside it), `j`/`k` follow reading order, Home/End jump to the first and last.
 * Without layout boxes (zero-size, as in jsdom) the arrows fall back to reading order.
 */
import { missingCase } from '../../../../shared/domain/missing-case';

export type TileMove = 'left' | 'right' | 'up' | 'down' | 'next' | 'previous' | 'first' | 'last';

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export function moveForKey(key: string): TileMove | null {
  switch (key) {
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
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

/** The distance along the move and across it, or null when `box` is not in that direction. */
function distances(
  here: Box,
  box: Box,
  direction: 'left' | 'right' | 'up' | 'down',
): { along: number; across: number } | null {
  const horizontal = direction === 'left' || direction === 'right';
  // Along: from the edge we leave to the edge we reach; a little overlap still counts (borders).
  const tolerance = 2;
  let along: number;
  switch (direction) {
    case 'right':
      along = box.left - (here.left + here.width);
      break;
    case 'left':
      along = here.left - (box.left + box.width);
      break;
    case 'down':
      along = box.top - (here.top + here.height);
      break;
    case 'up':
      along = here.top - (box.top + box.height);
      break;
    default:
      throw missingCase(direction);
  }
  if (along < -tolerance) return null;
  // Across: 0 when the boxes overlap across the move, else the gap between them.
  const [a0, a1, b0, b1] = horizontal
    ? [here.top, here.top + here.height, box.top, box.top + box.height]
    : [here.left, here.left + here.width, box.left, box.left + box.width];
  const across = Math.max(0, b0 - a1, a0 - b1);
  return { along: Math.max(0, along), across };
}

function spatial(current: number, direction: 'left' | 'right' | 'up' | 'down', boxes: readonly Box[]) {
  const here = boxes[current];
  if (!here || here.width === 0 || here.height === 0) return null;
  const vertical = direction === 'up' || direction === 'down';
  let best: { index: number; rank: number; score: number } | null = null;
  for (const [index, box] of boxes.entries()) {
    if (index === current || box.width === 0 || box.height === 0) continue;
    const d = distances(here, box, direction);
    if (d === null) continue;
    // Up and down stay in the column (a rack, a column of the list); left and right may land
    // higher or lower in the next rack. In line beats off to the side, then nearer beats farther.
    if (vertical && d.across > 0) continue;
    const rank = d.across > 0 ? 1 : 0;
    const score = d.along + 3 * d.across;
    if (best === null || rank < best.rank || (rank === best.rank && score < best.score))
      best = { index, rank, score };
  }
  return best === null ? current : best.index;
}

/** The index focus moves to from `current` among `boxes.length` tiles (-1 when there are none). */
export function targetIndex(current: number, move: TileMove, boxes: readonly Box[]): number {
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
    case 'right':
    case 'down':
      return spatial(current, move, boxes) ?? clamp(current + 1, count);
    case 'left':
    case 'up':
      return spatial(current, move, boxes) ?? clamp(current - 1, count);
    default:
      throw missingCase(move);
  }
}
