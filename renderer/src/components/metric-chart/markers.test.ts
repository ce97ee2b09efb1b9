import { describe, expect, it } from 'vitest';
import { MARKER_SHAPES, markerOutline, markerSvgPath, traceMarker, type PathSink } from './markers';

function recorder(): PathSink & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    moveTo: (x, y) => calls.push(`M${x},${y}`),
    lineTo: (x, y) => calls.push(`L${x},${y}`),
    arc: (x, y, r) => calls.push(`A${x},${y},${r}`),
    closePath: () => calls.push('Z'),
  };
}

describe('markers', () => {
  it('are eight distinct closed shapes, centred where they are drawn', () => {
    expect(new Set(MARKER_SHAPES).size).toBe(8);
    for (const shape of MARKER_SHAPES) {
      const outline = markerOutline(shape, 10, 20, 4);
      if (shape === 'circle') {
        expect(outline).toEqual([]);
        continue;
      }
      expect(outline.length).toBeGreaterThanOrEqual(3);
      const xs = outline.map(([x]) => x);
      const ys = outline.map(([, y]) => y);
      // Within about the radius of the centre on every side.
      expect(Math.min(...xs)).toBeGreaterThan(10 - 4 * 1.35);
      expect(Math.max(...xs)).toBeLessThan(10 + 4 * 1.35);
      expect(Math.min(...ys)).toBeGreaterThan(20 - 4 * 1.35);
      expect(Math.max(...ys)).toBeLessThan(20 + 4 * 1.35);
      expect(Math.min(...xs)).toBeLessThan(10 - 2);
      expect(Math.max(...ys)).toBeGreaterThan(20 + 2);
    }
  });

  it('trace the same outline on a canvas as in the legend SVG', () => {
    for (const shape of MARKER_SHAPES) {
      const path = recorder();
      traceMarker(path, shape, 16, 5, 3.5);
      expect(path.calls.at(-1)).toBe('Z');
      const d = markerSvgPath(shape, 16, 5, 3.5);
      expect(d.endsWith('Z')).toBe(true);
      if (shape === 'circle') {
        expect(path.calls).toContain('A16,5,3.5');
        expect(d).toBe('M12.5 5a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0Z');
      } else {
        const vertices = markerOutline(shape, 16, 5, 3.5);
        expect(path.calls).toHaveLength(vertices.length + 1);
        expect(d.match(/[ML]/g)).toHaveLength(vertices.length);
      }
    }
  });
});
