import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const exposed: [string, unknown][] = [];
  const ipcRenderer = {
    invoke: vi.fn(() => Promise.resolve<unknown>(null)),
    on: vi.fn(),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  return {
    exposed,
    ipcRenderer,
    contextBridge: {
      exposeInMainWorld: vi.fn((key: string, api: unknown) => {
        exposed.push([key, api]);
      }),
    },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

describe('the preload entry', () => {
  beforeEach(async () => {
    electron.exposed.length = 0;
    vi.resetModules();
    await import('./index');
  });

  it('exposes exactly one object, window.vigie, with invoke and on', () => {
    expect(electron.exposed).toHaveLength(1);
    const [key, api] = electron.exposed[0]!;
    expect(key).toBe('vigie');
    expect(Object.keys(api as object).sort()).toEqual(['invoke', 'on']);
  });

  it('never exposes ipcRenderer or any of its methods', () => {
    const [, api] = electron.exposed[0]!;
    const values = Object.values(api as object);
    expect(values).not.toContain(electron.ipcRenderer);
    for (const method of Object.values(electron.ipcRenderer)) expect(values).not.toContain(method);
  });

  it('rejects an unknown channel before it reaches ipcRenderer', async () => {
    const [, api] = electron.exposed[0]!;
    const bridge = api as { invoke(channel: string, request: unknown): Promise<unknown> };
    await expect(bridge.invoke('fs.readFile', { path: '/etc/passwd' })).rejects.toThrow(/unknown channel/);
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });
});
