import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { fakeEvent, FakeApp } from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { installLifecycle, shouldQuitWhenAllWindowsClosed } from './app-lifecycle';

function setUp(platform: NodeJS.Platform, hasWindows = false) {
  const app = new FakeApp();
  let finishStop: () => void = () => undefined;
  const stopEngine = vi.fn(() => new Promise<void>((resolve) => (finishStop = resolve)));
  const showConsole = vi.fn();
  const onQuitting = vi.fn();
  installLifecycle({
    app: app as unknown as App,
    platform,
    hasWindows: () => hasWindows,
    showConsole,
    stopEngine,
    onQuitting,
    logger: fakeLogger(),
  });
  return { app, stopEngine, showConsole, onQuitting, finishStop: () => finishStop() };
}

describe('app lifecycle', () => {
  it('quits when the last window closes, except on macOS', () => {
    expect(shouldQuitWhenAllWindowsClosed('linux')).toBe(true);
    expect(shouldQuitWhenAllWindowsClosed('win32')).toBe(true);
    expect(shouldQuitWhenAllWindowsClosed('darwin')).toBe(false);
    const linux = setUp('linux');
    linux.app.emit('window-all-closed');
    expect(linux.app.quits).toBe(1);
    const mac = setUp('darwin');
    mac.app.emit('window-all-closed');
    expect(mac.app.quits).toBe(0);
  });

  it('brings the console forward when a second instance starts', () => {
    const { app, showConsole } = setUp('linux', true);
    app.emit('second-instance', fakeEvent(), [], '/');
    expect(showConsole).toHaveBeenCalledTimes(1);
  });

  it('re-opens the console on macOS activate when no window is left', () => {
    const { app, showConsole } = setUp('darwin', false);
    app.emit('activate');
    expect(showConsole).toHaveBeenCalledTimes(1);
  });

  it('holds the quit until the engine has stopped, then quits once', async () => {
    const { app, stopEngine, onQuitting, finishStop } = setUp('linux');
    const first = fakeEvent();
    app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    expect(stopEngine).toHaveBeenCalledTimes(1);
    expect(onQuitting).toHaveBeenCalledTimes(1);
    const again = fakeEvent();
    app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(true);
    expect(stopEngine).toHaveBeenCalledTimes(1);
    finishStop();
    await vi.waitFor(() => expect(app.quits).toBe(1));
    const final = fakeEvent();
    app.emit('before-quit', final);
    expect(final.defaultPrevented).toBe(false);
  });
});
