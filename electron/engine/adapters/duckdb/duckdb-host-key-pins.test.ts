import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostKeyPin } from '../../ports/host-key-pins';
import { DuckDbStateStore } from './duckdb-state-store';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const PIN: HostKeyPin = {
  deviceId: 'a-core-sw',
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  publicKey: 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
  endpoint: '10.0.0.2:22',
  pinnedAt: Date.UTC(2025, 5, 1, 8, 0, 0),
  pinnedBy: 'desktop',
};

describe('DuckDbStateStore host key pins', () => {
  it('keeps a pin across a reopen, replaces it on save and deletes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-duck-pins-'));
    dirs.push(dir);
    const file = join(dir, 'state.duckdb');
    const store = await DuckDbStateStore.open(file);
    expect(await store.getHostKeyPin('a-core-sw')).toBeNull();
    await store.saveHostKeyPin(PIN);
    await store.close();

    const again = await DuckDbStateStore.open(file);
    expect(await again.getHostKeyPin('a-core-sw')).toEqual(PIN);
    const rotated = {
      ...PIN,
      fingerprint: 'SHA256:other',
      pinnedAt: PIN.pinnedAt + 1,
      pinnedBy: 'ws:seat-2',
    };
    await again.saveHostKeyPin(rotated);
    await again.saveHostKeyPin({ ...PIN, deviceId: 'b-core-sw' });
    expect(await again.listHostKeyPins()).toEqual([rotated, { ...PIN, deviceId: 'b-core-sw' }]);
    expect(await again.deleteHostKeyPin('a-core-sw')).toBe(true);
    expect(await again.deleteHostKeyPin('a-core-sw')).toBe(false);
    expect(await again.getHostKeyPin('a-core-sw')).toBeNull();
    await again.close();
  });
});
