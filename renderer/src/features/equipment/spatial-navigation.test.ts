import { describe, expect, it } from 'vitest';
import { moveForKey, targetIndex, type Box } from './spatial-navigation';

/** Two racks side by side (x 0 and x 300), three devices in the first, two in the second, a list at x 600. */
const box = (left: number, top: number, height = 20): Box => ({ left, top, width: 200, height });
const BOXES: Box[] = [
  box(0, 20), // 0: rack 1, top
  box(0, 300, 60), // 1: rack 1, middle, 3U
  box(0, 800), // 2: rack 1, bottom
  box(300, 40), // 3: rack 2, top
  box(300, 780), // 4: rack 2, bottom
  box(600, 0), // 5: list beside
  box(600, 30), // 6: list beside
];

describe('moveForKey', () => {
  it('maps arrows, j/k, Home and End, and nothing else', () => {
    expect(
      ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'j', 'k', 'Home', 'End', 'x'].map(moveForKey),
    ).toEqual(['left', 'right', 'up', 'down', 'next', 'previous', 'first', 'last', null]);
  });
});

describe('targetIndex', () => {
  it('moves down and up a rack to the next device, whatever the empty U between', () => {
    expect(targetIndex(0, 'down', BOXES)).toBe(1);
    expect(targetIndex(1, 'down', BOXES)).toBe(2);
    expect(targetIndex(2, 'up', BOXES)).toBe(1);
    expect(targetIndex(1, 'up', BOXES)).toBe(0);
  });

  it('moves right and left to the device level with it in the next rack or list', () => {
    expect(targetIndex(0, 'right', BOXES)).toBe(3);
    expect(targetIndex(2, 'right', BOXES)).toBe(4);
    expect(targetIndex(4, 'left', BOXES)).toBe(2);
    expect(targetIndex(3, 'right', BOXES)).toBe(6);
  });

  it('stays put at an edge', () => {
    expect(targetIndex(0, 'up', BOXES)).toBe(0);
    expect(targetIndex(0, 'left', BOXES)).toBe(0);
    expect(targetIndex(2, 'down', BOXES)).toBe(2);
  });

  it('follows reading order with j/k, and Home/End jump to the ends', () => {
    expect(targetIndex(2, 'next', BOXES)).toBe(3);
    expect(targetIndex(3, 'previous', BOXES)).toBe(2);
    expect(targetIndex(6, 'next', BOXES)).toBe(6);
    expect(targetIndex(4, 'first', BOXES)).toBe(0);
    expect(targetIndex(0, 'last', BOXES)).toBe(6);
    expect(targetIndex(0, 'next', [])).toBe(-1);
  });

  it('falls back to reading order without layout boxes (zero-size, as in jsdom)', () => {
    const none = Array.from({ length: 3 }, () => ({ left: 0, top: 0, width: 0, height: 0 }));
    expect(targetIndex(0, 'down', none)).toBe(1);
    expect(targetIndex(1, 'right', none)).toBe(2);
    expect(targetIndex(2, 'up', none)).toBe(1);
    expect(targetIndex(1, 'left', none)).toBe(0);
  });
});
