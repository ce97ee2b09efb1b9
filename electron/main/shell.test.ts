import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/api/bridge';
import type { Envelope } from '../../shared/api';
import type { MainToHost } from '../engine/host/host-protocol';
import type { EngineChild } from './engine-supervisor';
import {
  fakeApp,
  fakeDefaultSession,
  fakeDisplay,
  fakeIpcMain,
  fakePowerSaveBlocker,
  fakeProtocol,
  fakeScreen,
  FakeBrowserWindow,
  FakeMenu,
  FakeTray,
  resetFakeElectron,
  type FakeFrame,
  type FakeMenuItem,
  type FakeWebContents,
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

const lastInvoke = (channel?: string): Extract<MainToHost, { type: 'invoke' }> => {
  const invokes = engine.posted.filter(
    (m): m is Extract<MainToHost, { type: 'invoke' }> =>
      m.type === 'invoke' && (channel === undefined || m.channel === channel),
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

  it('starts the engine with the vault state first, never the key on its command line', () => {
    expect(engine.posted[0]).toEqual({
      type: 'start',
      vault: { unavailable: expect.stringContaining('safeStorage unavailable') as string },
    });
    expect(engine.forks[0]?.args.join(' ')).not.toMatch(/key/i);
  });

  it('asks for the overview once the engine is ready and shows its worst state', async () => {
    engine.message({ type: 'ready', version: '0.1.0', training: true });
    expect(window().title).toBe('Vigie — No data — TRAINING');
    const invoke = lastInvoke('overview.get');
    expect(invoke).toMatchObject({ channel: 'overview.get' });
    expect(invoke).not.toHaveProperty('role');
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

  it('shows the outstanding alarms in the title and the tray, and drops them once acknowledged', () => {
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    engine.message({
      type: 'event',
      event: 'overview.changed',
      payload: { revision: 1, status: 'up', training: false },
    });
    const counts = (critical: number, minor: number) => ({
      open: { critical, major: 0, minor, warning: 0, info: 0 },
      outstanding: { critical, major: 0, minor, warning: 0, info: 0 },
    });
    engine.message({
      type: 'event',
      event: 'alarms.changed',
      payload: { revision: 3, alarms: [], counts: counts(2, 1), escalations: {} },
    });
    expect(window().title).toBe('(3) Critical — Vigie — Down');
    expect(tray().tooltip).toBe('Vigie: Down — 3 × Critical');
    // An older revision arriving late changes nothing.
    engine.message({
      type: 'event',
      event: 'alarms.changed',
      payload: { revision: 2, alarms: [], counts: counts(0, 0), escalations: {} },
    });
    expect(window().title).toBe('(3) Critical — Vigie — Down');
    engine.message({
      type: 'event',
      event: 'alarms.changed',
      payload: { revision: 4, alarms: [], counts: counts(0, 0), escalations: {} },
    });
    expect(window().title).toBe('Vigie — Up');
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

describe('wall displays in the shell', () => {
  const right = fakeDisplay(2, { x: 1920, y: 0, width: 2560, height: 1440 });
  const start = (languages = ['en-GB']): void => {
    resetFakeElectron();
    engine.forks = [];
    engine.posted = [];
    fakeApp.languages = languages;
    fakeScreen.addDisplay(right);
    startShell('/app/out/main');
  };
  beforeEach(() => start());

  const consoleWindow = (): FakeBrowserWindow => FakeBrowserWindow.instances[0]!;
  const viewMenu = (): FakeMenuItem[] =>
    FakeMenu.applicationMenu!.template.find((i) => i.role === 'viewMenu')!.submenu!;
  const labelled = (items: FakeMenuItem[], label: string): FakeMenuItem =>
    items.find((i) => i.label === label)!;
  const displayEntries = (): FakeMenuItem[] => labelled(viewMenu(), 'Wall display').submenu!;
  const openWallOn = (index: number): FakeBrowserWindow => {
    displayEntries()[index]!.click!();
    return FakeBrowserWindow.instances.at(-1)!;
  };

  it('lists the displays in the View menu and the tray, with translated labels', () => {
    expect(displayEntries().map((i) => i.label)).toEqual([
      'Display 1 — 1920×1080 (primary)',
      'Display 2 — 2560×1440',
    ]);
    expect(labelled(viewMenu(), 'Close wall displays').enabled).toBe(false);
    const trayMenu = FakeTray.instances[0]!.menu!.template;
    expect(labelled(trayMenu, 'Wall display').submenu!.map((i) => i.label)).toEqual([
      'Display 1 — 1920×1080 (primary)',
      'Display 2 — 2560×1440',
    ]);
    expect(labelled(trayMenu, 'Close wall displays')).toBeDefined();

    start(['fr-BE']);
    expect(labelled(viewMenu(), 'Affichage mural').submenu!.map((i) => i.label)).toEqual([
      'Écran 1 — 1920×1080 (principal)',
      'Écran 2 — 2560×1440',
    ]);
    expect(labelled(viewMenu(), 'Fermer les affichages muraux')).toBeDefined();
  });

  it('opens a hardened kiosk wall on the chosen display, once per display', () => {
    const wall = openWallOn(1);
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect(wall.loaded).toEqual(['app://vigie/index.html?view=wall']);
    expect(wall.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      x: 1920,
      y: 0,
      width: 2560,
      height: 1440,
    });
    expect(wall.options['webPreferences']).toStrictEqual(consoleWindow().options['webPreferences']);
    expect(wall.title).toBe('Vigie — No data');
    expect(displayEntries().map((i) => i.checked)).toEqual([false, true]);
    expect(labelled(viewMenu(), 'Close wall displays').enabled).toBe(true);

    expect(openWallOn(1)).toBe(wall);
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect(wall.focused).toBe(1);
    expect(fakePowerSaveBlocker.started).toEqual(['prevent-display-sleep']);
  });

  it.skipIf(process.platform === 'darwin')('keeps the menu bar off the wall when the menu is rebuilt', () => {
    const wall = openWallOn(1);
    const before = wall.menuRemoved;
    fakeScreen.addDisplay(fakeDisplay(3, { x: 0, y: 1080, width: 1280, height: 1024 }));
    expect(wall.menuRemoved).toBeGreaterThan(before);
  });

  it('sends engine events and the worst state to the wall too', () => {
    const wall = openWallOn(1);
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    const payload = { revision: 3, status: 'down', training: false };
    engine.message({ type: 'event', event: 'overview.changed', payload });
    expect(wall.webContents.sent).toContainEqual([IPC_EVENT, 'overview.changed', payload]);
    expect(wall.title).toBe('Vigie — Down');
  });

  it('accepts IPC calls from the wall’s main frame, and not from its subframes', async () => {
    const wall = openWallOn(1);
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    const handler = fakeIpcMain.handlers.get(IPC_INVOKE) as unknown as (
      event: { sender: FakeWebContents; senderFrame: FakeFrame | null },
      channel: unknown,
      request: unknown,
    ) => Promise<Envelope<unknown>>;
    const before = engine.posted.length;
    const answer = handler(
      { sender: wall.webContents, senderFrame: wall.webContents.mainFrame },
      'overview.get',
      {},
    );
    await vi.waitFor(() => expect(engine.posted.length).toBeGreaterThan(before));
    const invoke = lastInvoke('overview.get');
    expect(invoke).toMatchObject({ channel: 'overview.get' });
    expect(invoke).not.toHaveProperty('role');
    const value = { revision: 9, status: 'up', training: false };
    engine.message({ type: 'result', id: invoke.id, envelope: { ok: true, value } });
    expect(await answer).toEqual({ ok: true, value });

    const refused = await handler(
      { sender: wall.webContents, senderFrame: wall.webContents.subframe('app://vigie/index.html') },
      'overview.get',
      {},
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN');
  });

  it('follows displays that come and go, closing the wall of a removed one', () => {
    const wall = openWallOn(1);
    fakeScreen.addDisplay(fakeDisplay(3, { x: 0, y: 1080, width: 1280, height: 1024 }));
    expect(displayEntries().map((i) => i.label)).toEqual([
      'Display 1 — 1920×1080 (primary)',
      'Display 2 — 2560×1440',
      'Display 3 — 1280×1024',
    ]);
    fakeScreen.removeDisplay(2);
    expect(wall.destroyed).toBe(true);
    expect(displayEntries().map((i) => i.label)).toEqual([
      'Display 1 — 1920×1080 (primary)',
      'Display 2 — 1280×1024',
    ]);
    expect(fakePowerSaveBlocker.active.size).toBe(0);
    engine.message({ type: 'ready', version: '0.1.0', training: false });
    engine.message({
      type: 'event',
      event: 'overview.changed',
      payload: { revision: 1, status: 'up', training: false },
    });
    expect(wall.webContents.sent).toEqual([]);
    expect(consoleWindow().destroyed).toBe(false);
  });

  it('closes every wall from the menu and lets the displays sleep', () => {
    const a = openWallOn(0);
    const b = openWallOn(1);
    expect(fakePowerSaveBlocker.active.size).toBe(1);
    labelled(viewMenu(), 'Close wall displays').click!();
    expect([a.destroyed, b.destroyed]).toEqual([true, true]);
    expect(fakePowerSaveBlocker.active.size).toBe(0);
    expect(fakePowerSaveBlocker.stopped).toHaveLength(1);
    expect(consoleWindow().destroyed).toBe(false);
    expect(labelled(viewMenu(), 'Close wall displays').enabled).toBe(false);
  });

  it('never takes a wall for the console', () => {
    const wall = openWallOn(1);
    consoleWindow().close();
    FakeTray.instances[0]!.emit('click');
    expect(wall.focused).toBe(0);
    expect(FakeBrowserWindow.instances).toHaveLength(3);
    expect(FakeBrowserWindow.instances[2]!.loaded).toEqual(['app://vigie/index.html']);
  });
});
