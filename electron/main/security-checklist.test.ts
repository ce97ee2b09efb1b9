/**
 * The Electron security checklist (https://www.electronjs.org/docs/latest/tutorial/security),
 * asserted on the shell as it is wired (issue 6, item 6): PITFALLS.md — Electron grants every
 * permission by default and shows its warnings only in an unpackaged app's console, so each
 * protection is a test here, one per item, so that a failure names the item. The shell runs
 * against the fake Electron (test-support/fake-electron.ts); every window it opens, the console
 * and a wall, is checked.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE } from '../../shared/api/bridge';
import {
  CHANNEL_NAMES as CONTRACT_CHANNELS,
  EVENT_NAMES as CONTRACT_EVENTS,
} from '../../shared/api/contract';
import type { Envelope } from '../../shared/api';
import type { EngineChild } from './engine-supervisor';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from './security-policy';
import {
  calls,
  fakeApp,
  fakeDefaultSession,
  fakeDisplay,
  fakeEvent,
  fakeIpcMain,
  fakeProtocol,
  fakeScreen,
  FakeBrowserWindow,
  FakeMenu,
  FakeWebContents,
  resetFakeElectron,
  type FakeFrame,
  type FakeMenuItem,
} from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { startShell } from './shell';

const preload = vi.hoisted(() => {
  const exposed: [string, unknown][] = [];
  const invoked: unknown[][] = [];
  return {
    exposed,
    invoked,
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown): void => {
        exposed.push([key, api]);
      },
    },
    ipcRenderer: {
      invoke: (...args: unknown[]): Promise<unknown> => {
        invoked.push(args);
        return Promise.resolve(null);
      },
      on: (): void => undefined,
      removeListener: (): void => undefined,
      send: (): void => undefined,
      sendSync: (): void => undefined,
    },
  };
});

vi.mock('electron', async () => ({
  ...(await import('./test-support/fake-electron')).fakeElectronModule(),
  contextBridge: preload.contextBridge,
  ipcRenderer: preload.ipcRenderer,
}));
vi.mock('./engine-process', () => ({
  forkEngineHost: (): EngineChild => ({
    pid: 4242,
    postMessage: () => undefined,
    kill: () => true,
    onMessage: () => undefined,
    onExit: () => undefined,
  }),
}));
vi.mock('./logger', () => ({ createShellLogger: () => fakeLogger() }));

/** A built renderer the app:// protocol serves: out/main beside out/renderer, as electron-vite lays it out. */
const outDir = mkdtempSync(join(tmpdir(), 'vigie-checklist-'));
const mainDir = join(outDir, 'main');
mkdirSync(mainDir, { recursive: true });
mkdirSync(join(outDir, 'renderer', 'assets'), { recursive: true });
writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Vigie</title>');
writeFileSync(join(outDir, 'renderer', 'assets', 'app.js'), 'export {};');
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const savedDevUrl = process.env['ELECTRON_RENDERER_URL'];
afterAll(() => {
  if (savedDevUrl === undefined) delete process.env['ELECTRON_RENDERER_URL'];
  else process.env['ELECTRON_RENDERER_URL'] = savedDevUrl;
});

/** Starts the shell and opens a wall on a second display: every kind of window the shell has. */
function startWithEveryWindow(): FakeBrowserWindow[] {
  resetFakeElectron();
  fakeScreen.addDisplay(fakeDisplay(2, { x: 1920, y: 0, width: 2560, height: 1440 }));
  startShell(mainDir);
  const view = FakeMenu.applicationMenu!.template.find((i) => i.role === 'viewMenu')!.submenu!;
  const walls = view.find((i: FakeMenuItem) => i.label === 'Wall display')!.submenu!;
  walls[1]!.click!();
  expect(FakeBrowserWindow.instances).toHaveLength(2);
  return FakeBrowserWindow.instances;
}

const prefs = (w: FakeBrowserWindow): Record<string, unknown> =>
  (w.options['webPreferences'] ?? {}) as Record<string, unknown>;

/** URLs a page must never reach: other origins, other schemes, look-alikes of ours. */
const FOREIGN_URLS = [
  'https://evil.example/',
  'http://evil.example/',
  'http://localhost:5173/',
  'http://127.0.0.1:8680/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'blob:app://vigie/0f3c',
  'app://evil/index.html',
  'app://vigie.evil.example/index.html',
  'app://vigie@evil.example/index.html',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'ws://127.0.0.1:8680/ws',
];
const OWN_URLS = [
  'app://vigie/index.html',
  'app://vigie/index.html#/alarms',
  'app://vigie/index.html?view=wall',
];

describe('Electron security checklist: every window', () => {
  let windows: FakeBrowserWindow[] = [];
  beforeEach(() => {
    delete process.env['ELECTRON_RENDERER_URL'];
    windows = startWithEveryWindow();
  });

  it('1. sandbox: every BrowserWindow has sandbox: true, and the app enables the sandbox for all before ready', async () => {
    for (const w of windows) expect(prefs(w)['sandbox']).toBe(true);
    calls.length = 0;
    vi.resetModules();
    await import('./index');
    expect(calls).toContain('app.enableSandbox');
    expect(calls.indexOf('app.enableSandbox')).toBeLessThan(calls.indexOf('app.whenReady'));
  });

  it('2. contextIsolation: true in every window', () => {
    for (const w of windows) expect(prefs(w)['contextIsolation']).toBe(true);
  });

  it('3. nodeIntegration: false in every window, its workers and subframes', () => {
    for (const w of windows) {
      expect(prefs(w)['nodeIntegration']).toBe(false);
      expect(prefs(w)['nodeIntegrationInWorker']).not.toBe(true);
      expect(prefs(w)['nodeIntegrationInSubFrames']).not.toBe(true);
    }
  });

  it('4. webSecurity is never disabled', () => {
    for (const w of windows) expect(prefs(w)['webSecurity']).not.toBe(false);
  });

  it('5. allowRunningInsecureContent is never enabled', () => {
    for (const w of windows) expect(prefs(w)['allowRunningInsecureContent']).not.toBe(true);
  });

  it('6. no <webview>: webviewTag off in every window, and attaching one is prevented on any WebContents', () => {
    for (const w of windows) {
      expect(prefs(w)['webviewTag']).not.toBe(true);
      const event = fakeEvent();
      w.webContents.emit('will-attach-webview', event, {}, {});
      expect(event.defaultPrevented).toBe(true);
    }
    const other = new FakeWebContents();
    fakeApp.emit('web-contents-created', fakeEvent(), other);
    const event = fakeEvent();
    other.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('7. no experimental features, no Blink features switched on, a preload from our own build', () => {
    for (const w of windows) {
      expect(prefs(w)['experimentalFeatures']).not.toBe(true);
      expect(prefs(w)['enableBlinkFeatures']).toBeUndefined();
      expect(prefs(w)['preload']).toBe(join(outDir, 'preload', 'index.cjs'));
    }
  });

  it.each(FOREIGN_URLS)('8. will-navigate to %s is prevented in every window', (url) => {
    for (const w of windows) {
      const event = fakeEvent({ url });
      w.webContents.emit('will-navigate', event);
      expect(event.defaultPrevented).toBe(true);
    }
  });

  it.each(FOREIGN_URLS)('9. will-redirect to %s is prevented in every window', (url) => {
    for (const w of windows) {
      const event = fakeEvent({ url });
      w.webContents.emit('will-redirect', event);
      expect(event.defaultPrevented).toBe(true);
    }
  });

  it('10. navigation within app://vigie is allowed (the checks above are not a blanket refusal)', () => {
    for (const w of windows)
      for (const url of OWN_URLS) {
        const navigate = fakeEvent({ url });
        w.webContents.emit('will-navigate', navigate);
        expect(navigate.defaultPrevented).toBe(false);
        const redirect = fakeEvent({ url });
        w.webContents.emit('will-redirect', redirect);
        expect(redirect.defaultPrevented).toBe(false);
      }
  });

  it('11. setWindowOpenHandler denies every new window, links to the web included (by design, none opens externally)', () => {
    const other = new FakeWebContents();
    fakeApp.emit('web-contents-created', fakeEvent(), other);
    for (const contents of [...windows.map((w) => w.webContents), other]) {
      expect(contents.windowOpenHandler).not.toBeNull();
      for (const url of [...FOREIGN_URLS, ...OWN_URLS])
        expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
  });

  it('12. no remote content is loaded: every window loads app://vigie only', () => {
    for (const w of windows) {
      expect(w.loaded.length).toBeGreaterThan(0);
      for (const url of w.loaded) expect(url.startsWith(`${APP_ORIGIN}/`)).toBe(true);
    }
  });

  it('13. IPC answers only the main frame of our windows showing our origin', async () => {
    const handler = fakeIpcMain.handlers.get(IPC_INVOKE) as unknown as (
      event: { sender: FakeWebContents; senderFrame: FakeFrame | null },
      channel: unknown,
      request: unknown,
    ) => Promise<Envelope<unknown>>;
    const [consoleWindow] = windows;
    const refusedFrom = async (sender: FakeWebContents, senderFrame: FakeFrame | null): Promise<string> => {
      const answer = await handler({ sender, senderFrame }, 'overview.get', {});
      return answer.ok ? 'answered' : answer.error.code;
    };
    const contents = consoleWindow!.webContents;
    expect(await refusedFrom(contents, contents.subframe('app://vigie/index.html'))).toBe('FORBIDDEN');
    expect(await refusedFrom(contents, { ...contents.mainFrame, url: 'https://evil.example/' })).toBe(
      'FORBIDDEN',
    );
    expect(await refusedFrom(contents, null)).toBe('FORBIDDEN');
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://vigie/index.html';
    expect(await refusedFrom(stranger, stranger.mainFrame)).toBe('FORBIDDEN');
  });
});

describe('Electron security checklist: no remote content, whatever the environment says', () => {
  it.each([
    ['a remote dev server URL, unpackaged', 'https://evil.example/', false],
    ['a loopback dev server URL in a packaged app', 'http://localhost:5173/', true],
    ['a dev server URL on another scheme', 'file:///tmp/index.html', false],
  ])('14. %s still loads app://vigie', (_what, devUrl, packaged) => {
    resetFakeElectron();
    fakeApp.isPackaged = packaged;
    process.env['ELECTRON_RENDERER_URL'] = devUrl;
    startShell(mainDir);
    const [w] = FakeBrowserWindow.instances;
    expect(w!.loaded).toEqual([`${APP_ORIGIN}/index.html`]);
    const event = fakeEvent({ url: devUrl });
    w!.webContents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
    delete process.env['ELECTRON_RENDERER_URL'];
  });

  it('15. no shell source loads a page but through the hardened window path (console-window.ts)', () => {
    const sources = readdirSync(import.meta.dirname).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const loaders = sources.filter((f) =>
      /\.(loadURL|loadFile)\(|new BrowserView\(|WebContentsView\(/.test(
        readFileSync(join(import.meta.dirname, f), 'utf8'),
      ),
    );
    expect(loaders).toEqual(['console-window.ts']);
  });

  it("16. every window the shell can create takes consoleWebPreferences, and nothing opens links externally but the engine's own sign-in URL", () => {
    const sources = readdirSync(import.meta.dirname).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const file of sources) {
      const text = readFileSync(join(import.meta.dirname, file), 'utf8');
      // Any `webPreferences:` (an object literal, a spread, another helper) other than the hardened set fails.
      for (const match of text.matchAll(/webPreferences\s*:\s*(\S+)/g))
        expect([file, match[1]]).toEqual([file, expect.stringMatching(/^consoleWebPreferences\(/)]);
      const opens = [...text.matchAll(/openExternal\s*\(([^)]*)\)/g)].map((m) => m[1]);
      // One exception (sso-browser.ts): the provider URL of an OIDC flow the engine started,
      // checked by signInUrlToOpen, never a URL the renderer chose.
      if (file === 'shell.ts') {
        expect(opens).toEqual(['signInUrl']);
        expect(text).toMatch(/const signInUrl = signInUrlToOpen\(channel, answer\);/);
      } else expect([file, opens]).toEqual([file, []]);
    }
  });
});

describe('Electron security checklist: permissions', () => {
  beforeEach(() => {
    resetFakeElectron();
    startShell(mainDir);
  });

  /** Every permission name Electron's session handlers can be asked about (Electron 45 docs), and some it may add. */
  const PERMISSIONS = [
    'clipboard-read',
    'display-capture',
    'fullscreen',
    'geolocation',
    'idle-detection',
    'media',
    'mediaKeySystem',
    'midi',
    'midiSysex',
    'notifications',
    'pointerLock',
    'keyboardLock',
    'openExternal',
    'speaker-selection',
    'storage-access',
    'top-level-storage-access',
    'window-management',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'accessibility-events',
    'background-sync',
    'persistent-storage',
    'deprecated-sync-clipboard-read',
    'unknown',
    'some-future-permission',
  ];

  it('17. setPermissionRequestHandler is installed and denies every permission', () => {
    const handler = fakeDefaultSession.permissionRequestHandler as
      ((c: unknown, p: string, cb: (granted: boolean) => void, d: unknown) => void) | null;
    expect(handler).not.toBeNull();
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      handler!({}, permission, (granted) => answers.push(granted), {
        requestingUrl: 'app://vigie/index.html',
      });
      expect([permission, answers]).toEqual([permission, [false]]);
    }
  });

  it('18. setPermissionCheckHandler is installed and answers false to every check', () => {
    const handler = fakeDefaultSession.permissionCheckHandler as
      ((c: unknown, p: string, origin: string, d: unknown) => boolean) | null;
    expect(handler).not.toBeNull();
    for (const permission of PERMISSIONS) {
      expect([permission, handler!(null, permission, 'app://vigie', {})]).toEqual([permission, false]);
      expect([permission, handler!(null, permission, 'https://evil.example', {})]).toEqual([
        permission,
        false,
      ]);
    }
  });

  it('19. the one grant is writing sanitized text to the clipboard (Copy query, correlation ids): it reads nothing', () => {
    const request = fakeDefaultSession.permissionRequestHandler as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
      d: unknown,
    ) => void;
    const answers: boolean[] = [];
    request({}, 'clipboard-sanitized-write', (granted) => answers.push(granted), {});
    expect(answers).toEqual([true]);
  });

  it('20. device access (HID, serial, USB) is denied', () => {
    const handler = fakeDefaultSession.devicePermissionHandler as ((d: unknown) => boolean) | null;
    expect(handler).not.toBeNull();
    for (const deviceType of ['hid', 'serial', 'usb'])
      expect(handler!({ deviceType, origin: 'app://vigie', device: {} })).toBe(false);
  });
});

describe('Electron security checklist: Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it("21. default-src is 'self'", () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('22. no unsafe-eval (nor wasm-unsafe-eval), no unsafe-inline, anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-inline|unsafe-hashes/);
  });

  it('23. no remote origin, wildcard or scheme source in any directive', () => {
    for (const [name, values] of directives)
      for (const value of values)
        expect([name, value]).toEqual([name, expect.stringMatching(/^('self'|'none'|data:)$/)]);
    // data: only for images (icons drawn inline), never for scripts, styles, frames or connections.
    for (const [name, values] of directives) if (values.includes('data:')) expect(name).toBe('img-src');
  });

  it("24. object-src 'none'", () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });

  it("25. frame-ancestors 'none' (nobody frames the console)", () => {
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('26. base-uri is restricted', () => {
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('27. the CSP is on every response of the app:// protocol: pages, scripts, routes, errors and refusals', async () => {
    resetFakeElectron();
    startShell(mainDir);
    const handle = fakeProtocol.handlers.get('app');
    expect(handle).toBeDefined();
    const cases: [string, string, number][] = [
      ['GET', 'app://vigie/', 200],
      ['GET', 'app://vigie/index.html', 200],
      ['GET', 'app://vigie/assets/app.js', 200],
      ['GET', 'app://vigie/alarms', 200],
      ['HEAD', 'app://vigie/index.html', 200],
      ['GET', 'app://vigie/missing.js', 404],
      ['GET', 'app://vigie/..%2f..%2fetc%2fpasswd', 403],
      ['GET', 'app://vigie/%252e%252e/index.html', 403],
      ['GET', 'app://vigie/.env', 403],
      ['GET', 'app://evil/index.html', 404],
      ['POST', 'app://vigie/index.html', 405],
    ];
    for (const [method, url, status] of cases) {
      const response = await handle!(new Request(url, { method }));
      expect([method, url, response.status]).toEqual([method, url, status]);
      expect([url, response.headers.get('content-security-policy')]).toEqual([url, CONTENT_SECURITY_POLICY]);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('Electron security checklist: the preload bridge', () => {
  beforeEach(async () => {
    preload.exposed.length = 0;
    preload.invoked.length = 0;
    vi.resetModules();
    await import('../preload/index');
  });

  it('28. the preload exposes one object, window.vigie, with invoke and on only, frozen', () => {
    expect(preload.exposed.map(([key]) => key)).toEqual(['vigie']);
    const api = preload.exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('29. it passes on exactly the contract channels and refuses any other before reaching main', async () => {
    const api = preload.exposed[0]![1] as {
      invoke(c: unknown, r: unknown): Promise<unknown>;
      on(e: unknown, l: unknown): () => void;
    };
    for (const channel of CONTRACT_CHANNELS) await api.invoke(channel, {});
    expect(preload.invoked.map((args) => args[1])).toEqual([...CONTRACT_CHANNELS]);
    preload.invoked.length = 0;
    for (const channel of ['ipc.raw', '__proto__', 'constructor', 'app.info ', 'APP.INFO', '', 42, null]) {
      await expect(api.invoke(channel, {})).rejects.toThrow(/unknown channel/);
    }
    expect(preload.invoked).toEqual([]);
    for (const event of CONTRACT_EVENTS) api.on(event, () => undefined)();
    for (const event of ['ipc.raw', '__proto__', 'toString'])
      expect(() => api.on(event, () => undefined)).toThrow(/unknown event/);
  });
});
