import { describe, expect, it } from 'vitest';
import { signInUrlToOpen } from './sso-browser';

const ok = (url: unknown) => ({ ok: true as const, value: { flowId: 'f', url } });

describe('opening the identity provider in the system browser', () => {
  it('opens the https URL the engine produced for a sign-in flow', () => {
    expect(signInUrlToOpen('session.oidcStart', ok('https://sso.example.org/auth?x=1'))).toBe(
      'https://sso.example.org/auth?x=1',
    );
    expect(signInUrlToOpen('session.oidcStart', ok('http://127.0.0.1:8080/auth'))).toBe(
      'http://127.0.0.1:8080/auth',
    );
  });
  it('opens nothing for other channels, failures, plain http off loopback or other schemes', () => {
    expect(signInUrlToOpen('overview.get', ok('https://sso.example.org/'))).toBeNull();
    expect(
      signInUrlToOpen('session.oidcStart', {
        ok: false,
        error: { code: 'CONFLICT', message: 'not configured', correlationId: 'c' },
      }),
    ).toBeNull();
    expect(signInUrlToOpen('session.oidcStart', ok('http://sso.example.org/auth'))).toBeNull();
    expect(signInUrlToOpen('session.oidcStart', ok('file:///etc/passwd'))).toBeNull();
    expect(signInUrlToOpen('session.oidcStart', ok('javascript:alert(1)'))).toBeNull();
    expect(signInUrlToOpen('session.oidcStart', ok(42))).toBeNull();
  });
});
