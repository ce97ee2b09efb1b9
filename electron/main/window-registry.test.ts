import { describe, expect, it } from 'vitest';
import { FakeBrowserWindow } from './test-support/fake-electron';
import { WindowRegistry } from './window-registry';

describe('WindowRegistry', () => {
  it('knows its windows by WebContents id and forgets closed ones', () => {
    const registry = new WindowRegistry();
    const a = new FakeBrowserWindow({});
    const b = new FakeBrowserWindow({});
    registry.add(a);
    registry.add(b);
    expect(registry.hasWebContents(a.webContents.id)).toBe(true);
    expect(registry.hasWebContents(9999)).toBe(false);
    b.destroyed = true;
    expect(registry.hasWebContents(b.webContents.id)).toBe(false);
    registry.remove(a);
    expect(registry.list()).toEqual([]);
  });

  it('sends events and titles to every live window', () => {
    const registry = new WindowRegistry();
    const a = new FakeBrowserWindow({});
    const b = new FakeBrowserWindow({});
    registry.add(a);
    registry.add(b);
    b.webContents.destroyed = true;
    registry.send('vigie:event', 'overview.changed', { status: 'down' });
    registry.setTitle('Vigie — Down');
    expect(a.webContents.sent).toEqual([['vigie:event', 'overview.changed', { status: 'down' }]]);
    expect(b.webContents.sent).toEqual([]);
    expect([a.title, b.title]).toEqual(['Vigie — Down', 'Vigie — Down']);
  });
});
