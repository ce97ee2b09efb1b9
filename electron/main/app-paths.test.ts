import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate } from './app-menu';
import { configFileFrom, shellPaths, userDataOverride } from './app-paths';

describe('shell paths', () => {
  it('find the CommonJS preload, the renderer and the engine host next to out/main', () => {
    expect(shellPaths('/app/out/main')).toEqual({
      preload: join('/app/out/preload/index.cjs'),
      renderer: join('/app/out/renderer'),
      engineHost: join('/app/out/main/engine-host.js'),
    });
  });

  it('accept only an absolute userData override', () => {
    expect(userDataOverride({ VIGIE_USER_DATA_DIR: '/tmp/seat-2' })).toBe('/tmp/seat-2');
    expect(userDataOverride({ VIGIE_USER_DATA_DIR: 'relative/dir' })).toBeNull();
    expect(userDataOverride({})).toBeNull();
  });

  it('take the config file from --config, else VIGIE_CONFIG', () => {
    expect(configFileFrom('/etc/a.yaml', { VIGIE_CONFIG: '/etc/b.yaml' })).toBe('/etc/a.yaml');
    expect(configFileFrom('', { VIGIE_CONFIG: '/etc/b.yaml' })).toBe('/etc/b.yaml');
    expect(configFileFrom('', {})).toBeUndefined();
  });
});

describe('application menu', () => {
  const roles = (items: ReturnType<typeof applicationMenuTemplate>): string[] =>
    items.flatMap((i) => [
      i.role ?? '',
      ...(Array.isArray(i.submenu) ? i.submenu.map((s) => s.role ?? '') : []),
    ]);

  it('offers developer tools only when unpackaged', () => {
    expect(roles(applicationMenuTemplate('linux', true))).not.toContain('toggleDevTools');
    expect(roles(applicationMenuTemplate('linux', false))).toContain('toggleDevTools');
  });

  it('follows the macOS menu convention on macOS only', () => {
    expect(roles(applicationMenuTemplate('darwin', true))[0]).toBe('appMenu');
    expect(roles(applicationMenuTemplate('win32', true))[0]).toBe('fileMenu');
  });
});
