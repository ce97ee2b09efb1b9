import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { FakeSession } from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { hardenSession } from './web-contents-hardening';

describe('hardenSession', () => {
  const session = new FakeSession();
  hardenSession(session as unknown as Session, fakeLogger());

  it.each([
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'clipboard-read',
    'midiSysex',
    'hid',
    'serial',
    'fullscreen',
    'pointerLock',
  ])('denies a request for %s', (permission) => {
    const callback = vi.fn();
    const handler = session.permissionRequestHandler as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
      d: unknown,
    ) => void;
    handler({}, permission, callback, { requestingUrl: 'app://vigie/index.html' });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it.each(['media', 'notifications', 'clipboard-read', 'usb'])(
    'answers false to a check for %s',
    (permission) => {
      const handler = session.permissionCheckHandler as (
        c: unknown,
        p: string,
        origin: string,
        d: unknown,
      ) => boolean;
      expect(handler(null, permission, 'app://vigie', {})).toBe(false);
    },
  );

  it('denies device access (HID, serial, USB)', () => {
    const handler = session.devicePermissionHandler as (d: unknown) => boolean;
    expect(handler({ deviceType: 'usb', origin: 'app://vigie' })).toBe(false);
  });
});
