import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeEvent, resetFakeElectron } from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { CONSOLE_BACKGROUND, createConsoleWindow } from './console-window';
import { APP_ENTRY_URL, APP_ORIGIN } from './security-policy';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectronModule());

function open() {
  const logger = fakeLogger();
  createConsoleWindow({
    preloadPath: '/app/out/preload/index.cjs',
    url: APP_ENTRY_URL,
    title: 'Vigie — No data',
    trustedOrigins: [APP_ORIGIN],
    logger,
  });
  const window = FakeBrowserWindow.instances.at(-1)!;
  return { window, contents: window.webContents, logger };
}

describe('the console window', () => {
  beforeEach(() => resetFakeElectron());

  it('is created with exactly the hardened webPreferences and the CommonJS preload', () => {
    const { window } = open();
    expect(window.options['webPreferences']).toStrictEqual({
      preload: '/app/out/preload/index.cjs',
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
  });

  it('starts hidden on a dark background and shows when ready', () => {
    const { window } = open();
    expect(window.options['show']).toBe(false);
    expect(window.options['backgroundColor']).toBe(CONSOLE_BACKGROUND);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('loads the console from app://vigie and keeps the shell title', () => {
    const { window } = open();
    expect(window.loaded).toEqual(['app://vigie/index.html']);
    expect(window.getTitle()).toBe('Vigie — No data');
    const event = fakeEvent();
    window.emit('page-title-updated', event, 'Some page title');
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies window.open', () => {
    const { contents } = open();
    expect(contents.windowOpenHandler).not.toBeNull();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://vigie/index.html' })).toEqual({ action: 'deny' });
  });

  it.each(['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)'])(
    'denies navigation and redirects to %s',
    (url) => {
      const { contents } = open();
      const navigate = fakeEvent({ url });
      contents.emit('will-navigate', navigate);
      expect(navigate.defaultPrevented).toBe(true);
      const redirect = fakeEvent({ url });
      contents.emit('will-redirect', redirect);
      expect(redirect.defaultPrevented).toBe(true);
    },
  );

  it('lets the console navigate within its own origin', () => {
    const { contents } = open();
    const navigate = fakeEvent({ url: 'app://vigie/index.html#/alarms' });
    contents.emit('will-navigate', navigate);
    expect(navigate.defaultPrevented).toBe(false);
  });

  it('prevents <webview> from attaching', () => {
    const { contents } = open();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('reloads a crashed renderer, but not in a loop', () => {
    const { contents } = open();
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
    contents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 1 });
    expect(contents.reloads).toBe(1);
  });
});
