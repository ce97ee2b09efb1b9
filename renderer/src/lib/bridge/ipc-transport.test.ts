import { describe, expect, it, vi } from 'vitest';
import type { RawBridge } from '../../../../shared/api';
import { fixtureOverview } from '../testing/fixtures';
import { createIpcTransport, isRawBridge } from './ipc-transport';

function rawBridge(reply: (channel: string) => Promise<unknown>) {
  const listeners = new Map<string, (payload: unknown) => void>();
  const raw: RawBridge = {
    invoke: vi.fn((channel: string) => reply(channel)),
    on: vi.fn((event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    }),
  };
  return { raw, fire: (event: string, payload: unknown) => listeners.get(event)?.(payload), listeners };
}

describe('createIpcTransport', () => {
  it('recognises the bridge the preload exposes', () => {
    expect(isRawBridge({ invoke: () => undefined, on: () => undefined })).toBe(true);
    expect(isRawBridge(undefined)).toBe(false);
    expect(isRawBridge({ invoke: 'no' })).toBe(false);
  });

  it('passes valid envelopes through and turns contract breaks and failures into typed errors', async () => {
    const replies: Record<string, unknown> = {
      'overview.get': { ok: true, value: fixtureOverview() },
      'app.info': { ok: true, value: { name: 'Vigie' } },
    };
    const { raw } = rawBridge((channel) =>
      channel in replies ? Promise.resolve(replies[channel]) : Promise.reject(new Error('boom')),
    );
    const transport = createIpcTransport(raw, vi.fn());
    expect(transport.getState()).toEqual({ kind: 'open' });

    const good = await transport.bridge.invoke('overview.get', {});
    expect(good.ok && good.value.revision).toBe(10);
    const broken = await transport.bridge.invoke('app.info', {});
    expect(!broken.ok && broken.error.code).toBe('INTERNAL');
    const failed = await transport.bridge.invoke('estate.scenarios', {});
    expect(!failed.ok && failed.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('delivers only event payloads that match the contract', () => {
    const { raw, fire, listeners } = rawBridge(() => Promise.resolve(null));
    const transport = createIpcTransport(raw, vi.fn());
    const listener = vi.fn();
    const off = transport.bridge.on('estate.scenarioChanged', listener);
    fire('estate.scenarioChanged', { available: true, active: null, scenarios: [] });
    fire('estate.scenarioChanged', { available: 'yes' });
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    expect(listeners.size).toBe(0);
  });
});
