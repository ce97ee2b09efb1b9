import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/api/bridge';
import type { MainToHost } from '../engine/host/host-protocol';
import type { EngineChild } from './engine-supervisor';
import {
  fakeDefaultSession,
  fakeIpcMain,
  fakeProtocol,
  FakeBrowserWindow,
  FakeMenu,
  FakeTray,
  resetFakeElectron,
} from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { startShell } from './shell';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectronModule());

const engine = vi.hoisted(() => {
  const state = {
    forks: [] as { modulePath: string; args: string[] }[],
    posted: [] as MainToHost[],
    message: (_m: unknown): void => undefined,
    exit: (_code: number): void => undefined,
  };
  return state;
});
vi.mock('./engine-process', () => ({
  forkEngineHost: (modulePath: string, args: string[]): EngineChild => {
    engine.forks.push({ modulePath, args });
    return {
      pid: 4242,
      postMessage: (m) => engine.posted.push(m),
      kill: () => true,
      onMessage: (l) => {
        engine.message = l;
      },
      onExit: (l) => {
        engine.exit = l;
      },
    };
  },
}));
vi.mock('./logger', () => ({ createShellLogger: () => fakeLogger() }));

const lastInvoke = (): Extract<MainToHost, { type: 'invoke' }> => {
  const invokes = engine.posted.filter(
    (m): m is Extract<MainToHost, { type: 'invoke' }> => m.type === 'invoke',
  );
  return invokes.at(-1)!;
};

describe('the shell, wired together', () => {
  beforeEach(() => {
    resetFakeElectron();
    engine.forks = [];
    engine.posted = [];
    startShell('/app/out/main');
  });

  const window = (): FakeBrowserWindow => FakeBrowserWindow.instances[0]!;
  const tray = (): FakeTray => FakeTray.instances[0]!;

  it('opens one hardened console window on app://vigie, titled with the unknown state', () => {
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window().options['webPreferences']).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
    });
    expect(window().loaded).toEqual(['app://vigie/index.html']);
    expect(window().title).toBe('Vigie — No data');
    expect(tray().tooltip).toBe('Vigie: No data');
  });

  it('hardens the session, serves app:// and registers the IPC router and a menu', () => {
    expect(fakeDefaultSession.permissionRequestHandler).not.toBeNull();
    expect(fakeDefaultSession.permissionCheckHandler).not.toBeNull();
    expect(fakeProtocol.handlers.has('app')).toBe(true);
    expect(fakeIpcMain.handlers.has(IPC_INVOKE)).toBe(true);
    expect(FakeMenu.applicationMenu).not.toBeNull();
  });

  it('forks the engine host with the user data folder', () => {
    expect(engine.forks).toEqual([
      { modulePath: '/app/out/main/engine-host.js', args: ['--data-dir', '/fake/userData'] },
    ]);
  });

  it('asks for the overview once the engine is ready and shows its worst state', async () => {
    engine.message({ type: 'ready', version: '0.1.0', training: true });
    expect(window().title).toBe('Vigie — No data — TRAINING');
    const invoke = lastInvoke();
    expect(invoke).toMatchObject({ channel: 'overview.get', role: 'operator' });
    engine.message({
      type: 'result',
      id: invoke.id,
      envelope: { ok: true, value: { revision: 1, status: 'degraded', training: true } },
    });
    await vi.waitFor(() => expect(window().title).toBe('Vigie — Degraded — TRAINING'));
    expect(tray().tooltip).toBe('Vigie: Degraded (TRAINING)');
  });

  it('forwards contract events to the console window and follows overview.changed', () => {
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    const payload = { revision: 5, status: 'down', training: false };
    engine.message({ type: 'event', event: 'overview.changed', payload });
    expect(window().webContents.sent).toContainEqual([IPC_EVENT, 'overview.changed', payload]);
    expect(window().title).toBe('Vigie — Down');
    expect(tray().tooltip).toBe('Vigie: Down');
  });

  it('drops events outside the contract', () => {
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    engine.message({ type: 'event', event: 'debug.secret', payload: { x: 1 } });
    expect(window().webContents.sent).toEqual([]);
  });

  it('goes back to unknown when the engine dies', () => {
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    engine.message({
      type: 'event',
      event: 'overview.changed',
      payload: { revision: 1, status: 'up', training: false },
    });
    expect(window().title).toBe('Vigie — Up');
    engine.exit(139);
    expect(window().title).toBe('Vigie — No data');
    expect(tray().tooltip).toBe('Vigie: No data');
  });
});
