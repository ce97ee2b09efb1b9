import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeHandles } from './test-support/fake-electron';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectronModule());
const shell = vi.hoisted(() => ({ startShell: vi.fn() }));
vi.mock('./shell', () => shell);

/** Imports a fresh main entry; `before` runs before the entry's top level. */
async function loadMain(before: (fake: FakeHandles) => void = () => undefined): Promise<FakeHandles> {
  vi.resetModules();
  // The mocked 'electron' the entry will import, whichever fake instance backs it.
  const fake = ((await import('electron')) as unknown as { __fake: FakeHandles }).__fake;
  fake.resetFakeElectron();
  before(fake);
  await import('./index');
  return fake;
}

describe('the main entry', () => {
  beforeEach(() => {
    shell.startShell.mockClear();
    delete process.env['VIGIE_USER_DATA_DIR'];
  });

  it('enables the sandbox and registers app:// as privileged before ready', async () => {
    const { calls, fakeApp, fakeProtocol } = await loadMain();
    expect(calls.indexOf('app.enableSandbox')).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf('app.enableSandbox')).toBeLessThan(calls.indexOf('app.whenReady'));
    expect(calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(
      calls.indexOf('app.whenReady'),
    );
    expect(fakeProtocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(shell.startShell).not.toHaveBeenCalled();
    fakeApp.becomeReady();
    await vi.waitFor(() => expect(shell.startShell).toHaveBeenCalledTimes(1));
  });

  it('does not grant app:// the corsEnabled or bypassCSP privileges', async () => {
    const { fakeProtocol } = await loadMain();
    const privileges = (fakeProtocol.privileged[0] as { privileges: Record<string, boolean> }).privileges;
    expect(privileges['corsEnabled']).toBeUndefined();
    expect(privileges['bypassCSP']).toBeUndefined();
  });

  it('quits without starting when another instance holds the lock', async () => {
    const { calls } = await loadMain((fake) => {
      fake.fakeApp.hasLock = false;
    });
    expect(calls).toContain('app.quit');
    expect(calls).not.toContain('app.whenReady');
    expect(shell.startShell).not.toHaveBeenCalled();
  });

  it('moves userData before taking the lock when VIGIE_USER_DATA_DIR is absolute', async () => {
    process.env['VIGIE_USER_DATA_DIR'] = '/tmp/vigie-e2e-data';
    const { calls, fakeApp } = await loadMain();
    expect(fakeApp.getPath('userData')).toBe('/tmp/vigie-e2e-data');
    expect(calls.indexOf('app.setPath:userData')).toBeLessThan(
      calls.indexOf('app.requestSingleInstanceLock'),
    );
  });
});
