import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  checkIpcSender,
  consoleWebPreferences,
  CONTENT_SECURITY_POLICY,
  isNavigationAllowed,
  isPermissionGranted,
  originOf,
  trustedOrigins,
  WINDOW_OPEN_DECISION,
} from './security-policy';

describe('consoleWebPreferences', () => {
  it('is exactly the hardened set: sandboxed, isolated, no Node, no webview, no spellcheck', () => {
    expect(consoleWebPreferences('/app/out/preload/index.cjs')).toStrictEqual({
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
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('has every directive the console relies on, each exactly as specified', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('allows no inline code, no eval, no wildcard and no remote host', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(
      /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/,
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|wss?:|blob:|filesystem:/);
    const sources = [...directives.values()].flat();
    for (const source of sources) expect(["'self'", "'none'", 'data:']).toContain(source);
  });
});

describe('originOf', () => {
  it.each([
    ['app://vigie/index.html', 'app://vigie'],
    ['APP://VIGIE/x', 'app://vigie'],
    ['app://evil/index.html', 'app://evil'],
    ['http://localhost:5173/', 'http://localhost:5173'],
    ['https://example.com/a', 'https://example.com'],
    ['file:///etc/passwd', null],
    ['about:blank', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
  ])('%s → %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });
});

describe('trustedOrigins', () => {
  it('is only app://vigie when packaged, whatever the environment says', () => {
    expect(trustedOrigins('http://localhost:5173', true)).toEqual([APP_ORIGIN]);
  });

  it('adds the loopback dev server when unpackaged', () => {
    expect(trustedOrigins('http://localhost:5173/', false)).toEqual([APP_ORIGIN, 'http://localhost:5173']);
  });

  it('never trusts a remote dev URL', () => {
    expect(trustedOrigins('http://evil.example:5173/', false)).toEqual([APP_ORIGIN]);
    expect(trustedOrigins('https://localhost.evil.example/', false)).toEqual([APP_ORIGIN]);
    expect(trustedOrigins(undefined, false)).toEqual([APP_ORIGIN]);
  });
});

describe('checkIpcSender', () => {
  const trusted = [APP_ORIGIN];
  const good = { frameUrl: 'app://vigie/index.html', isMainFrame: true, fromOurWindow: true };

  it('allows the main frame of a console window at app://vigie', () => {
    expect(checkIpcSender(good, trusted)).toEqual({ allowed: true });
  });

  it.each([
    ['another origin', { ...good, frameUrl: 'https://evil.example/' }],
    ['another app:// host', { ...good, frameUrl: 'app://evil/index.html' }],
    ['a file:// page', { ...good, frameUrl: 'file:///tmp/x.html' }],
    ['a subframe', { ...good, isMainFrame: false }],
    ['a gone frame', { ...good, frameUrl: null }],
    ['a window that is not ours', { ...good, fromOurWindow: false }],
  ])('refuses %s', (_what, sender) => {
    expect(checkIpcSender(sender, trusted).allowed).toBe(false);
  });
});

describe('navigation and window policy', () => {
  it('allows navigation within app://vigie only', () => {
    expect(isNavigationAllowed('app://vigie/index.html#/alarms', [APP_ORIGIN])).toBe(true);
    expect(isNavigationAllowed('https://example.com/', [APP_ORIGIN])).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', [APP_ORIGIN])).toBe(false);
    expect(isNavigationAllowed('app://other/index.html', [APP_ORIGIN])).toBe(false);
  });

  it('denies window.open', () => {
    expect(WINDOW_OPEN_DECISION).toEqual({ action: 'deny' });
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'clipboard-read',
    'hid',
    'serial',
    'usb',
    'fullscreen',
    'unknown',
  ])('denies the %s permission', (permission) => {
    expect(isPermissionGranted(permission)).toBe(false);
  });
});

describe('clipboard', () => {
  it('lets the console write sanitized text to the clipboard but never read it', () => {
    expect(isPermissionGranted('clipboard-sanitized-write')).toBe(true);
    expect(isPermissionGranted('clipboard-read')).toBe(false);
  });
});
