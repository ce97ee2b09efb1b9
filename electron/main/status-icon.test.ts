import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STATUSES, type Status } from '../../shared/domain/status';
import { encodePng, rasterizeStatusIcon, statusIconPngs, statusIconSpec } from './status-icon';

/** Reads back an 8-bit RGBA PNG written without filtering. */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  return { width, height, pixels };
}

const alphaAt = (pixels: Uint8Array, size: number, x: number, y: number): number =>
  pixels[(y * size + x) * 4 + 3] ?? -1;

describe('status icons', () => {
  it('gives every status its own shape and its own colour', () => {
    const specs = STATUSES.map((s) => statusIconSpec(s));
    expect(new Set(specs.map((s) => s.shape)).size).toBe(STATUSES.length);
    expect(new Set(specs.map((s) => `${s.fill.r},${s.fill.g},${s.fill.b}`)).size).toBe(STATUSES.length);
  });

  it('never draws unknown like up: a hollow grey ring, not a filled green disc', () => {
    const up = statusIconSpec('up');
    const unknown = statusIconSpec('unknown');
    expect(up.shape).toBe('disc');
    expect(unknown.shape).toBe('ring');
    expect(unknown.fill.g).toBeLessThan(unknown.fill.r + 30); // grey, no green cast
    const upPixels = rasterizeStatusIcon('up', 32);
    const unknownPixels = rasterizeStatusIcon('unknown', 32);
    expect(alphaAt(upPixels, 32, 16, 16)).toBe(255);
    expect(alphaAt(unknownPixels, 32, 16, 16)).toBe(0);
  });

  it('draws pairwise different images at 16 and 32 px', () => {
    for (const size of [16, 32]) {
      const images = STATUSES.map((s) => Buffer.from(rasterizeStatusIcon(s, size)).toString('base64'));
      expect(new Set(images).size).toBe(STATUSES.length);
    }
  });

  it('keeps the corners transparent and the shapes inside the icon', () => {
    for (const status of STATUSES) {
      const pixels = rasterizeStatusIcon(status, 16);
      expect([
        alphaAt(pixels, 16, 0, 0),
        alphaAt(pixels, 16, 15, 0),
        alphaAt(pixels, 16, 0, 15),
        alphaAt(pixels, 16, 15, 15),
      ]).toEqual([0, 0, 0, 0]);
    }
  });

  it('encodes a valid PNG that decodes back to the same pixels', () => {
    const status: Status = 'degraded';
    const { x1, x2 } = statusIconPngs(status);
    const one = decodePng(x1);
    expect([one.width, one.height]).toEqual([16, 16]);
    expect(one.pixels).toEqual(Buffer.from(rasterizeStatusIcon(status, 16)));
    expect([decodePng(x2).width, decodePng(x2).height]).toEqual([32, 32]);
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(RangeError);
  });
});
