/**
 * Tray icons drawn in code: one shape and colour per status, so the state reads without colour
 * too (a monochrome or colour-blind view still tells a ring from a triangle). Unknown is a
 * hollow grey ring, never anything close to the filled green disc of `up`.
 * The images are rasterised here and encoded as PNG (RGBA, so no platform pixel-order question).
 */
import { deflateSync } from 'node:zlib';
import { missingCase } from '../../shared/domain/missing-case';
import type { Status } from '../../shared/domain/status';

export type IconShape = 'disc' | 'triangle' | 'square' | 'ring' | 'diamond';

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

export interface StatusIconSpec {
  readonly shape: IconShape;
  readonly fill: Rgb;
  /** A darker rim, so the shape stands out on light and dark panels alike. */
  readonly rim: Rgb;
}

const rgb = (hex: number): Rgb => ({ r: (hex >> 16) & 0xff, g: (hex >> 8) & 0xff, b: hex & 0xff });

export function statusIconSpec(status: Status): StatusIconSpec {
  switch (status) {
    case 'up':
      return { shape: 'disc', fill: rgb(0x2fb35a), rim: rgb(0x145c2c) };
    case 'degraded':
      return { shape: 'triangle', fill: rgb(0xf2a900), rim: rgb(0x7a5200) };
    case 'down':
      return { shape: 'square', fill: rgb(0xe5383b), rim: rgb(0x7a1113) };
    case 'unknown':
      return { shape: 'ring', fill: rgb(0x9aa0a6), rim: rgb(0x3c4043) };
    case 'maintenance':
      return { shape: 'diamond', fill: rgb(0x4c8dff), rim: rgb(0x1b3f80) };
    default:
      throw missingCase(status);
  }
}

/** Signed distance (in units of the icon's half-size) from the shape's edge: negative inside. */
function signedDistance(shape: IconShape, x: number, y: number): number {
  switch (shape) {
    case 'disc':
      return Math.hypot(x, y) - 0.8;
    case 'ring':
      return Math.abs(Math.hypot(x, y) - 0.62) - 0.2;
    case 'square':
      return Math.max(Math.abs(x), Math.abs(y)) - 0.72;
    case 'diamond':
      return (Math.abs(x) + Math.abs(y) - 0.92) / Math.SQRT2;
    case 'triangle': {
      // Pointing up: apex (0, -0.85), base at y = 0.7 from x = -0.9 to 0.9.
      const slope = Math.hypot(1.55, 0.9);
      const left = (-1.55 * x - 0.9 * y - 0.765) / slope;
      const right = (1.55 * x - 0.9 * y - 0.765) / slope;
      return Math.max(left, right, y - 0.7);
    }
    default:
      throw missingCase(shape);
  }
}

/** RGBA pixels (row-major, straight alpha) of the status icon at `size`×`size`, 4×4 supersampled. */
export function rasterizeStatusIcon(status: Status, size: number): Uint8Array {
  const { shape, fill, rim } = statusIconSpec(status);
  const pixels = new Uint8Array(size * size * 4);
  const rimWidth = 2.4 / size; // about 1.2 px whatever the size
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * 2 - 1;
          const y = ((py + (sy + 0.5) / samples) / size) * 2 - 1;
          const d = signedDistance(shape, x, y);
          if (d > 0) continue;
          const colour = d > -rimWidth ? rim : fill;
          r += colour.r;
          g += colour.g;
          b += colour.b;
          covered += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (covered > 0) {
        pixels[i] = Math.round(r / covered);
        pixels[i + 1] = Math.round(g / covered);
        pixels[i + 2] = Math.round(b / covered);
        pixels[i + 3] = Math.round((covered / (samples * samples)) * 255);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG (8-bit RGBA, no filtering) of `rgba` pixels; see https://www.w3.org/TR/png-3/. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError('pixel buffer does not match the size');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The status icon as PNG at 1× (16 px) and 2× (32 px). */
export function statusIconPngs(status: Status): { readonly x1: Buffer; readonly x2: Buffer } {
  return {
    x1: encodePng(rasterizeStatusIcon(status, 16), 16, 16),
    x2: encodePng(rasterizeStatusIcon(status, 32), 32, 32),
  };
}
