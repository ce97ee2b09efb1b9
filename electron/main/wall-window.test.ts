import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, Display, Screen } from 'electron';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeBrowserWindow,
  fakeDisplay,
  fakeEvent,
  fakePowerSaveBlocker,
  fakeScreen,
  resetFakeElectron,
} from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { handleAppRequest, resolveAppPath } from './app-protocol';
import { CONSOLE_BACKGROUND, createConsoleWindow } from './console-window';
import { APP_ENTRY_URL, APP_ORIGIN, consoleWebPreferences, isNavigationAllowed } from './security-policy';
import { createWallWindow, WallWindows, wallUrl } from './wall-window';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectronModule());

const PRELOAD = '/app/out/preload/index.cjs';
const WALL_URL = 'app://vigie/index.html?view=wall';
const right = fakeDisplay(2, { x: 1920, y: 0, width: 2560, height: 1440 });

function openWall(platform: NodeJS.Platform = 'linux') {
  const logger = fakeLogger();
  createWallWindow({
    preloadPath: PRELOAD,
    consoleUrl: APP_ENTRY_URL,
    title: 'Vigie — No data',
    display: right,
    trustedOrigins: [APP_ORIGIN],
    platform,
    logger,
  });
  const window = FakeBrowserWindow.instances.at(-1)!;
  return { window, contents: window.webContents, logger };
}

describe('wallUrl', () => {
  it('is the console page with ?view=wall', () => {
    expect(wallUrl(APP_ENTRY_URL)).toBe(WALL_URL);
  });

  it('carries the playlist and the interval when given', () => {
    expect(wallUrl(APP_ENTRY_URL, { playlist: ['power', 'cooling'], intervalSeconds: 60 })).toBe(
      'app://vigie/index.html?view=wall&playlist=power,cooling&interval=60',
    );
  });

  it('drops the console URL’s own query and fragment, and works on the dev server', () => {
    expect(wallUrl('app://vigie/index.html?x=1#/alarms')).toBe(WALL_URL);
    expect(wallUrl('http://localhost:5173/')).toBe('http://localhost:5173/?view=wall');
  });

  it('encodes ids, skips empty ones and ignores an interval that is not a positive whole number', () => {
    expect(wallUrl(APP_ENTRY_URL, { playlist: ['a&b', '', 'c,d'], intervalSeconds: 0 })).toBe(
      'app://vigie/index.html?view=wall&playlist=a%26b,c%2Cd',
    );
    expect(wallUrl(APP_ENTRY_URL, { playlist: [], intervalSeconds: 1.5 })).toBe(WALL_URL);
  });
});

describe('the wall window', () => {
  beforeEach(() => resetFakeElectron());

  it('is created with exactly the hardened webPreferences of the console', () => {
    const { window } = openWall();
    expect(window.options['webPreferences']).toStrictEqual({
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
    createConsoleWindow({
      preloadPath: PRELOAD,
      url: APP_ENTRY_URL,
      title: 'Vigie',
      trustedOrigins: [APP_ORIGIN],
      logger: fakeLogger(),
    });
    expect(window.options['webPreferences']).toStrictEqual(
      FakeBrowserWindow.instances.at(-1)!.options['webPreferences'],
    );
    expect(window.options['webPreferences']).toStrictEqual(consoleWebPreferences(PRELOAD));
  });

  it('is a kiosk, full screen, on the chosen display’s bounds, dark, without menu bar', () => {
    const { window } = openWall('linux');
    expect(window.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      x: 1920,
      y: 0,
      width: 2560,
      height: 1440,
      backgroundColor: CONSOLE_BACKGROUND,
      autoHideMenuBar: true,
      show: false,
      title: 'Vigie — No data',
    });
    expect(window.menuRemoved).toBe(1);
  });

  it('leaves the menu alone on macOS (one application menu, none per window)', () => {
    expect(openWall('darwin').window.menuRemoved).toBe(0);
  });

  it('loads the wall view from app://vigie, shows when ready and keeps the shell title', () => {
    const { window } = openWall();
    expect(window.loaded).toEqual([WALL_URL]);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    const event = fakeEvent();
    window.emit('page-title-updated', event, 'Wall');
    expect(event.defaultPrevented).toBe(true);
  });

  it('follows the console’s page rules: no window.open, no navigation away, navigation within app://vigie', () => {
    const { contents } = openWall();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const away = fakeEvent({ url: 'https://evil.example/' });
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const redirect = fakeEvent({ url: 'file:///etc/passwd' });
    contents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
    const within = fakeEvent({ url: 'app://vigie/index.html?view=wall&playlist=a,b&interval=30' });
    contents.emit('will-navigate', within);
    expect(within.defaultPrevented).toBe(false);
  });

  it('reloads a crashed wall renderer, but not in a loop', () => {
    const { contents } = openWall();
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
    expect(contents.reloads).toBe(1);
  });
});

describe('app:// and the wall URL', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigie-wall-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Vigie</title>');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves the wall view, query string and all, to index.html', () => {
    expect(resolveAppPath('app://vigie/index.html?view=wall&playlist=a,b&interval=60', root)).toEqual({
      kind: 'file',
      filePath: join(root, 'index.html'),
      isRoute: false,
    });
  });

  it('serves index.html for it', async () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    const response = await handleAppRequest(new Request(WALL_URL), root, logger);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Vigie</title>');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('is a navigation the policy allows', () => {
    expect(
      isNavigationAllowed(wallUrl(APP_ENTRY_URL, { playlist: ['a'], intervalSeconds: 5 }), [APP_ORIGIN]),
    ).toBe(true);
  });
});

describe('WallWindows', () => {
  beforeEach(() => {
    resetFakeElectron();
    fakeScreen.addDisplay(right);
  });

  function setUp() {
    const logger = fakeLogger();
    const onChange = vi.fn();
    const created: Display[] = [];
    const walls = new WallWindows({
      screen: fakeScreen as unknown as Screen,
      powerSaveBlocker: fakePowerSaveBlocker,
      createWindow: (display) => {
        created.push(display);
        return new FakeBrowserWindow({ x: display.bounds.x }) as unknown as BrowserWindow;
      },
      onChange,
      logger,
    });
    const fake = (window: BrowserWindow | null): FakeBrowserWindow => window as unknown as FakeBrowserWindow;
    return { walls, logger, onChange, created, fake };
  }

  it('opens one wall per display; opening again brings the same one to the front', () => {
    const { walls, created, fake } = setUp();
    const first = fake(walls.open(2));
    const again = fake(walls.open(2));
    expect(again).toBe(first);
    expect(first.focused).toBe(1);
    expect(created.map((d) => d.id)).toEqual([2]);
    const other = fake(walls.open(1));
    expect(other).not.toBe(first);
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect([...walls.openDisplayIds()].sort()).toEqual([1, 2]);
    expect(walls.isWall(first as unknown as BrowserWindow)).toBe(true);
  });

  it('holds exactly one blocker while walls are open and releases it with the last', () => {
    const { walls, fake } = setUp();
    expect(fakePowerSaveBlocker.started).toEqual([]);
    const a = fake(walls.open(1));
    const b = fake(walls.open(2));
    walls.open(2);
    expect(fakePowerSaveBlocker.started).toEqual(['prevent-display-sleep']);
    expect(fakePowerSaveBlocker.active.size).toBe(1);
    const [id] = [...fakePowerSaveBlocker.active.keys()];
    a.close();
    expect(fakePowerSaveBlocker.stopped).toEqual([]);
    expect(fakePowerSaveBlocker.isStarted(id!)).toBe(true);
    b.close();
    expect(fakePowerSaveBlocker.stopped).toEqual([id]);
    expect(fakePowerSaveBlocker.active.size).toBe(0);
    expect(walls.openDisplayIds().size).toBe(0);

    walls.open(1);
    expect(fakePowerSaveBlocker.started).toEqual(['prevent-display-sleep', 'prevent-display-sleep']);
    expect(fakePowerSaveBlocker.active.size).toBe(1);
  });

  it('closes every wall on request and then lets the displays sleep', () => {
    const { walls, fake } = setUp();
    const a = fake(walls.open(1));
    const b = fake(walls.open(2));
    walls.closeAll();
    expect([a.destroyed, b.destroyed]).toEqual([true, true]);
    expect(fakePowerSaveBlocker.active.size).toBe(0);
    expect(fakePowerSaveBlocker.stopped).toHaveLength(1);
  });

  it('closes the wall of a removed display and logs it; the other wall stays', () => {
    const { walls, logger, onChange, fake } = setUp();
    const kept = fake(walls.open(1));
    const gone = fake(walls.open(2));
    onChange.mockClear();
    fakeScreen.removeDisplay(2);
    expect(gone.destroyed).toBe(true);
    expect(kept.destroyed).toBe(false);
    expect([...walls.openDisplayIds()]).toEqual([1]);
    expect(fakePowerSaveBlocker.active.size).toBe(1);
    expect(onChange).toHaveBeenCalled();
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'wall closed: its display was removed',
        obj: { displayId: 2 },
      }),
    );
    fakeScreen.removeDisplay(1);
    expect(kept.destroyed).toBe(true);
    expect(fakePowerSaveBlocker.active.size).toBe(0);
  });

  it('only redraws the menus when a display without a wall comes or goes', () => {
    const { walls, onChange } = setUp();
    fakeScreen.addDisplay(fakeDisplay(3, { x: 0, y: 1080, width: 1280, height: 1024 }));
    fakeScreen.removeDisplay(3);
    fakeScreen.changeDisplay(fakeDisplay(2, { x: 1920, y: 0, width: 3840, height: 2160 }), ['bounds']);
    expect(onChange).toHaveBeenCalledTimes(3);
    expect(walls.openDisplayIds().size).toBe(0);
    expect(fakePowerSaveBlocker.started).toEqual([]);
  });

  it('opens nothing on a display that is gone, or when the window cannot be created', () => {
    const { walls, logger } = setUp();
    expect(walls.open(42)).toBeNull();
    expect(logger.lines.map((l) => l.msg)).toContain('no such display: wall not opened');
    const failing = new WallWindows({
      screen: fakeScreen as unknown as Screen,
      powerSaveBlocker: fakePowerSaveBlocker,
      createWindow: () => {
        throw new Error('no GPU');
      },
      onChange: vi.fn(),
      logger,
    });
    expect(failing.open(1)).toBeNull();
    expect(failing.openDisplayIds().size).toBe(0);
    expect(fakePowerSaveBlocker.started).toEqual([]);
  });

  it('gives the menu the displays in screen order, the primary and the open walls', () => {
    const { walls } = setUp();
    walls.open(2);
    const state = walls.menuState();
    expect(state.displays.map((d) => d.id)).toEqual([1, 2]);
    expect(state.primaryId).toBe(1);
    expect([...state.openIds]).toEqual([2]);
  });
});
