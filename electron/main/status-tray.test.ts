import { beforeEach, describe, expect, it, vi } from 'vitest';
import { STATUSES } from '../../shared/domain/status';
import { FakeTray, resetFakeElectron, type FakeMenuItem } from './test-support/fake-electron';
import { createStatusTray } from './status-tray';
import { statusIconPngs } from './status-icon';

vi.mock('electron', async () => (await import('./test-support/fake-electron')).fakeElectronModule());

function tray() {
  const onShowConsole = vi.fn();
  const onQuit = vi.fn();
  const handle = createStatusTray({ locale: 'en', onShowConsole, onQuit });
  return { handle, fake: FakeTray.instances.at(-1)!, onShowConsole, onQuit };
}

describe('the status tray', () => {
  beforeEach(() => resetFakeElectron());

  it('starts on unknown, never on up', () => {
    const { fake } = tray();
    expect(fake.tooltip).toBe('Vigie: No data');
    expect(fake.image?.representations[0]?.buffer).toEqual(statusIconPngs('unknown').x1);
  });

  it('maps each status to its own icon (1× and 2×) and tooltip', () => {
    const { handle, fake } = tray();
    const seen = new Map<string, string>();
    for (const status of STATUSES) {
      handle.show(status, false);
      const reps = fake.image?.representations ?? [];
      expect(reps.map((r) => r.scaleFactor)).toEqual([1, 2]);
      expect(reps[0]?.buffer).toEqual(statusIconPngs(status).x1);
      seen.set(reps[0]!.buffer.toString('base64'), fake.tooltip);
    }
    expect(seen.size).toBe(STATUSES.length);
    expect(new Set(seen.values()).size).toBe(STATUSES.length);
  });

  it('has a menu with show console and quit', () => {
    const { fake, onShowConsole, onQuit } = tray();
    const items = (fake.menu?.template ?? []).filter((i: FakeMenuItem) => i.type !== 'separator');
    expect(items.map((i) => i.label)).toEqual(['Show console', 'Quit Vigie']);
    items[0]?.click?.();
    items[1]?.click?.();
    expect(onShowConsole).toHaveBeenCalledTimes(1);
    expect(onQuit).toHaveBeenCalledTimes(1);
  });

  it('puts extra entries (the wall displays) between show console and quit, read again on refresh', () => {
    let more = ['Wall display'];
    const handle = createStatusTray({
      locale: 'en',
      onShowConsole: vi.fn(),
      onQuit: vi.fn(),
      moreItems: () => more.map((label) => ({ label })),
    });
    const fake = FakeTray.instances.at(-1)!;
    const shown = () => (fake.menu?.template ?? []).map((i: FakeMenuItem) => i.label ?? i.type);
    expect(shown()).toEqual(['Show console', 'separator', 'Wall display', 'separator', 'Quit Vigie']);
    more = ['Wall display', 'Close wall displays'];
    handle.refreshMenu();
    expect(shown()).toEqual([
      'Show console',
      'separator',
      'Wall display',
      'Close wall displays',
      'separator',
      'Quit Vigie',
    ]);
  });

  it('shows the console on click', () => {
    const { fake, onShowConsole } = tray();
    fake.emit('click');
    expect(onShowConsole).toHaveBeenCalledTimes(1);
  });
});
