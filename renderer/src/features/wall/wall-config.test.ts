import { describe, expect, it } from 'vitest';
import { initialWallConfig, readStoredWall, WALL_STORAGE_KEY, wallConfigFromUrl } from './wall-config';

function storage(value: string | null) {
  return { getItem: (key: string) => (key === WALL_STORAGE_KEY ? value : null), setItem: () => undefined };
}

describe('wall config', () => {
  it('reads the playlist and interval from the URL, dropping what is not an id and clamping the interval', () => {
    expect(wallConfigFromUrl('?view=wall&playlist=zone-a,overview,../x,zone-a&interval=2')).toEqual({
      playlist: ['zone-a', 'overview'],
      intervalSeconds: 5,
    });
    expect(wallConfigFromUrl('?view=wall&interval=abc')).toEqual({});
  });

  it('prefers the URL, then what the display stored, then an empty playlist every 60 s', () => {
    const stored = storage(JSON.stringify({ playlist: ['ops'], intervalSeconds: 90 }));
    expect(initialWallConfig('?playlist=overview', stored)).toEqual({
      playlist: ['overview'],
      intervalSeconds: 90,
    });
    expect(initialWallConfig('', stored)).toEqual({ playlist: ['ops'], intervalSeconds: 90 });
    expect(initialWallConfig('', storage(null))).toEqual({ playlist: [], intervalSeconds: 60 });
  });

  it('ignores a stored value that is not JSON', () => {
    expect(readStoredWall(storage('{oops'))).toBeNull();
  });
});
