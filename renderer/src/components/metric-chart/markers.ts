/**
 * Marker shapes: with its dash pattern, what tells a line from another without colour (DESIGN.md
 * section 7, WCAG 1.4.1). Dense stretches of a line are solid bars with no room for dashes
 * (dense-lines.ts), so every line also carries its marker, and the legend shows the same shape.
 * One outline per shape, for the canvas and for the legend's SVG alike.
 */

export type MarkerShape =
  'circle' | 'square' | 'triangle' | 'diamond' | 'triangleDown' | 'star' | 'plus' | 'cross';

export const MARKER_SHAPES: readonly MarkerShape[] = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'triangleDown',
  'star',
  'plus',
  'cross',
];

type Vertex = readonly [number, number];

function star(points: number, outer: number, inner: number): Vertex[] {
  const vertices: Vertex[] = [];
  for (let k = 0; k < 2 * points; k += 1) {
    const r = k % 2 === 0 ? outer : inner;
    const angle = (Math.PI * k) / points - Math.PI / 2;
    vertices.push([r * Math.cos(angle), r * Math.sin(angle)]);
  }
  return vertices;
}

function plus(arm: number, half: number): Vertex[] {
  return [
    [-half, -arm],
    [half, -arm],
    [half, -half],
    [arm, -half],
    [arm, half],
    [half, half],
    [half, arm],
    [-half, arm],
    [-half, half],
    [-arm, half],
    [-arm, -half],
    [-half, -half],
  ];
}

const rotate45 = ([x, y]: Vertex): Vertex => [(x - y) * Math.SQRT1_2, (x + y) * Math.SQRT1_2];

/** Polygons of radius about 1 around 0,0 (y down), sized to look alike in weight; none for a circle. */
const OUTLINES: Readonly<Record<MarkerShape, readonly Vertex[]>> = {
  circle: [],
  square: [
    [-0.85, -0.85],
    [0.85, -0.85],
    [0.85, 0.85],
    [-0.85, 0.85],
  ],
  triangle: [
    [0, -1.2],
    [1.1, 0.75],
    [-1.1, 0.75],
  ],
  diamond: [
    [0, -1.2],
    [1.2, 0],
    [0, 1.2],
    [-1.2, 0],
  ],
  triangleDown: [
    [0, 1.2],
    [-1.1, -0.75],
    [1.1, -0.75],
  ],
  star: star(5, 1.3, 0.55),
  plus: plus(1.15, 0.4),
  cross: plus(1.2, 0.4).map(rotate45),
};

/** The polygon of `shape` at x, y with radius r; empty for a circle. */
export function markerOutline(shape: MarkerShape, x: number, y: number, r: number): [number, number][] {
  return OUTLINES[shape].map(([vx, vy]) => [x + vx * r, y + vy * r]);
}

/** The subset of a canvas context (or Path2D) that traces a marker. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void;
  closePath(): void;
}

/** Adds the marker's outline to the current path (fill and stroke are the caller's). */
export function traceMarker(path: PathSink, shape: MarkerShape, x: number, y: number, r: number): void {
  if (shape === 'circle') {
    path.moveTo(x + r, y);
    path.arc(x, y, r, 0, 2 * Math.PI);
    path.closePath();
    return;
  }
  const outline = markerOutline(shape, x, y, r);
  outline.forEach(([px, py], k) => (k === 0 ? path.moveTo(px, py) : path.lineTo(px, py)));
  path.closePath();
}

const svgNumber = (v: number): string => String(Math.round(v * 100) / 100);

/** The marker as an SVG path `d` (the legend's sample). */
export function markerSvgPath(shape: MarkerShape, x: number, y: number, r: number): string {
  if (shape === 'circle')
    return `M${svgNumber(x - r)} ${svgNumber(y)}a${svgNumber(r)} ${svgNumber(r)} 0 1 0 ${svgNumber(2 * r)} 0a${svgNumber(r)} ${svgNumber(r)} 0 1 0 ${svgNumber(-2 * r)} 0Z`;
  const outline = markerOutline(shape, x, y, r);
  return `${outline.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${svgNumber(px)} ${svgNumber(py)}`).join('')}Z`;
}
