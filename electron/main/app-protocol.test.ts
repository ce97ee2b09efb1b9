import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleAppRequest, mimeTypeFor, resolveAppPath } from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './security-policy';

const root = '/srv/vigie/out/renderer';

describe('resolveAppPath', () => {
  it('maps the root and index.html to index.html', () => {
    expect(resolveAppPath('app://vigie/', root)).toEqual({
      kind: 'file',
      filePath: join(root, 'index.html'),
      isRoute: false,
    });
    expect(resolveAppPath('app://vigie', root)).toEqual({
      kind: 'file',
      filePath: join(root, 'index.html'),
      isRoute: false,
    });
    expect(resolveAppPath('app://vigie/index.html?x=1#top', root)).toEqual({
      kind: 'file',
      filePath: join(root, 'index.html'),
      isRoute: false,
    });
  });

  it('maps an asset inside the renderer folder', () => {
    expect(resolveAppPath('app://vigie/assets/index-abc.js', root)).toEqual({
      kind: 'file',
      filePath: join(root, 'assets', 'index-abc.js'),
      isRoute: false,
    });
  });

  it('marks an extensionless path as a client-side route', () => {
    expect(resolveAppPath('app://vigie/alarms', root)).toMatchObject({ kind: 'file', isRoute: true });
  });

  it.each([
    'app://vigie/../../etc/passwd',
    'app://vigie/assets/../../../etc/passwd',
    'app://vigie/%2e%2e/%2e%2e/etc/passwd',
    'app://vigie/%2E%2E/etc/passwd',
    'app://vigie/..%2f..%2fetc%2fpasswd',
    'app://vigie/..%2F..%2Fetc%2Fpasswd',
    'app://vigie/..%5c..%5cwindows%5cwin.ini',
    'app://vigie/%252e%252e/%252e%252e/etc/passwd',
    'app://vigie/assets/%00.js',
    'app://vigie/C:%5cWindows%5cwin.ini',
    'app://vigie/./index.html',
    'app://vigie/.env',
  ])('refuses %s', (url) => {
    const result = resolveAppPath(url, root);
    expect(result.kind).toBe('refused');
  });

  it('refuses malformed percent-encoding with 400', () => {
    expect(resolveAppPath('app://vigie/%E0%A4%A', root)).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('refuses another host or scheme', () => {
    expect(resolveAppPath('app://evil/index.html', root)).toMatchObject({ kind: 'refused', status: 404 });
    expect(resolveAppPath('file:///etc/passwd', root)).toMatchObject({ kind: 'refused' });
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.woff2', 'font/woff2'],
    ['a.wasm', 'application/wasm'],
    ['A.PNG', 'image/png'],
    ['a.unknown', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });
});

describe('handleAppRequest', () => {
  let dir: string;
  let renderer: string;
  const logger = { warn: vi.fn(), error: vi.fn() };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-app-protocol-'));
    renderer = join(dir, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vigie</title>');
    writeFileSync(join(renderer, 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    symlinkSync(join(dir, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET'): Promise<Response> =>
    handleAppRequest(new Request(url, { method }), renderer, logger);

  it('serves index.html with the strict CSP and nosniff', async () => {
    const response = await get('app://vigie/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Vigie</title>');
  });

  it('serves a script with its MIME type', async () => {
    const response = await get('app://vigie/assets/index.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('falls back to index.html for a client-side route, with the CSP', async () => {
    const response = await get('app://vigie/alarms');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 404 for a missing asset (no fallback for files)', async () => {
    expect((await get('app://vigie/assets/missing.js')).status).toBe(404);
  });

  it('refuses traversal that reaches the handler encoded', async () => {
    const response = await get('app://vigie/..%2f..%2fsecret.txt');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('outside');
  });

  it('never serves a file outside the folder through a symlink', async () => {
    const response = await get('app://vigie/assets/link.txt');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('outside');
  });

  it('accepts only GET and HEAD', async () => {
    expect((await get('app://vigie/index.html', 'POST')).status).toBe(405);
    const head = await get('app://vigie/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
