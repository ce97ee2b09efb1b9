import { describe, expect, it, vi } from 'vitest';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/api/bridge';
import { createRawBridge, type IpcRendererPort } from './raw-bridge';

type IpcListener = (event: IpcRendererEvent, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<IpcListener>>();
  const port = {
    invoke: vi.fn((_channel: string, ..._args: unknown[]) =>
      Promise.resolve<unknown>({ ok: true, value: 'answer' }),
    ),
    on: vi.fn((channel: string, listener: IpcListener) => {
      const set = listeners.get(channel) ?? new Set<IpcListener>();
      set.add(listener);
      listeners.set(channel, set);
    }),
    removeListener: vi.fn((channel: string, listener: IpcListener) => {
      listeners.get(channel)?.delete(listener);
    }),
  } satisfies IpcRendererPort;
  const ipcEvent = { sender: { secret: 'ipcRenderer' }, senderId: 0 } as unknown as IpcRendererEvent;
  const emit = (name: unknown, payload: unknown): void => {
    for (const listener of listeners.get(IPC_EVENT) ?? []) listener(ipcEvent, name, payload);
  };
  const count = (): number => listeners.get(IPC_EVENT)?.size ?? 0;
  return { port, emit, count };
}

describe('the preload bridge', () => {
  it('exposes only invoke and on, frozen', () => {
    const bridge = createRawBridge(fakeIpcRenderer().port);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards an allowed channel to main on the invoke IPC channel', async () => {
    const { port } = fakeIpcRenderer();
    const bridge = createRawBridge(port);
    await expect(bridge.invoke('overview.get', {})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(port.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'overview.get', {});
  });

  it.each([['nope'], ['__proto__'], ['constructor'], ['overview.changed'], [''], ['app.info ']])(
    'rejects the unknown channel %j without reaching main',
    async (channel) => {
      const { port } = fakeIpcRenderer();
      await expect(createRawBridge(port).invoke(channel, {})).rejects.toThrow(/unknown channel/);
      expect(port.invoke).not.toHaveBeenCalled();
    },
  );

  it('rejects a channel that is not a string without reaching main', async () => {
    const { port } = fakeIpcRenderer();
    const bridge = createRawBridge(port);
    await expect(bridge.invoke(42 as unknown as string, {})).rejects.toThrow(/unknown channel/);
    await expect(bridge.invoke({ toString: () => 'app.info' } as unknown as string, {})).rejects.toThrow(
      /unknown channel/,
    );
    expect(port.invoke).not.toHaveBeenCalled();
  });

  it('refuses to subscribe to an unknown event', () => {
    const { port } = fakeIpcRenderer();
    const bridge = createRawBridge(port);
    expect(() => bridge.on('vigie:anything', () => undefined)).toThrow(/unknown event/);
    expect(() => bridge.on('overview.get', () => undefined)).toThrow(/unknown event/);
    expect(port.on).not.toHaveBeenCalled();
  });

  it('hands the listener the payload only, never the IpcRendererEvent', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createRawBridge(ipc.port);
    const listener = vi.fn();
    bridge.on('overview.changed', listener);
    ipc.emit('overview.changed', { revision: 3 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ revision: 3 }]);
  });

  it('delivers an event only to the listeners of that event', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createRawBridge(ipc.port);
    const overview = vi.fn();
    const scenario = vi.fn();
    bridge.on('overview.changed', overview);
    bridge.on('estate.scenarioChanged', scenario);
    ipc.emit('estate.scenarioChanged', { active: null });
    ipc.emit('something.else', {});
    expect(overview).not.toHaveBeenCalled();
    expect(scenario).toHaveBeenCalledTimes(1);
  });

  it('returns an unsubscribe function, and detaches from ipcRenderer when nobody listens', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createRawBridge(ipc.port);
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = bridge.on('overview.changed', first);
    const offSecond = bridge.on('estate.scenarioChanged', second);
    expect(ipc.count()).toBe(1); // one ipcRenderer listener, whatever the number of subscriptions
    offFirst();
    offFirst(); // idempotent
    ipc.emit('overview.changed', {});
    expect(first).not.toHaveBeenCalled();
    expect(ipc.count()).toBe(1);
    offSecond();
    expect(ipc.count()).toBe(0);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const ipc = fakeIpcRenderer();
    const bridge = createRawBridge(ipc.port);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const good = vi.fn();
    bridge.on('overview.changed', () => {
      throw new Error('bad view');
    });
    bridge.on('overview.changed', good);
    ipc.emit('overview.changed', {});
    expect(good).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
