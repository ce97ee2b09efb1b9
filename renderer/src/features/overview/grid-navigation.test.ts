import { describe, expect, it } from 'vitest';
import { moveForKey, targetIndex, type Box } from './grid-navigation';

/** A 3-column grid of 7 tiles, 100×50 each. */
const grid: Box[] = Array.from({ length: 7 }, (_, i) => ({
  left: (i % 3) * 110,
  top: Math.floor(i / 3) * 60,
  width: 100,
  height: 50,
}));

describe('grid navigation', () => {
  it('maps arrows, j/k, Home and End to moves', () => {
    expect(
      ['ArrowRight', 'j', 'ArrowLeft', 'k', 'ArrowDown', 'ArrowUp', 'Home', 'End', 'x'].map(moveForKey),
    ).toEqual(['next', 'next', 'previous', 'previous', 'down', 'up', 'first', 'last', null]);
  });

  it('moves in reading order and stops at the ends', () => {
    expect(targetIndex(0, 'previous', grid)).toBe(0);
    expect(targetIndex(2, 'next', grid)).toBe(3);
    expect(targetIndex(6, 'next', grid)).toBe(6);
    expect(targetIndex(4, 'first', grid)).toBe(0);
    expect(targetIndex(1, 'last', grid)).toBe(6);
  });

  it('moves up and down by rows using the layout, to the closest column', () => {
    expect(targetIndex(1, 'down', grid)).toBe(4);
    expect(targetIndex(4, 'down', grid)).toBe(6); // last row has one tile: the closest one
    expect(targetIndex(5, 'up', grid)).toBe(2);
    expect(targetIndex(0, 'up', grid)).toBe(0);
  });

  it('falls back to reading order without layout boxes', () => {
    const flat: Box[] = Array.from({ length: 3 }, () => ({ left: 0, top: 0, width: 0, height: 0 }));
    expect(targetIndex(0, 'down', flat)).toBe(1);
    expect(targetIndex(1, 'up', flat)).toBe(0);
  });
});
