import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { openLoopbackRedirect } from './loopback-redirect';
import { OidcError } from './oidc-error';

/** GET with a chosen Host header (fetch does not let one set it). */
function get(
  url: string,
  host?: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.get(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers: host ? { host } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
  });
}

async function failure(promise: Promise<unknown>): Promise<OidcError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(outcome instanceof OidcError)) throw outcome;
  return outcome;
}

const never = new AbortController().signal;

describe('openLoopbackRedirect', () => {
  it('listens on 127.0.0.1 with a random port and hands over the first redirect', async () => {
    const lb = await openLoopbackRedirect({ path: '/callback', timeoutMs: 10_000, signal: never });
    expect(lb.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const answer = get(`${lb.redirectUri}?code=abc&state=xyz`);
    const cb = await lb.callback;
    expect(cb.params.get('code')).toBe('abc');
    cb.respond('success', 'Signed in as <b>Alice</b>.');
    const page = await answer;
    expect(page.status).toBe(200);
    expect(page.body).toContain('Signed in as &#60;b&#62;Alice&#60;/b&#62;. You can close this window.');
    expect(page.body).not.toMatch(/<script/i);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    await lb.close();
  });

  it('ignores other paths and other Host names, and refuses a second redirect', async () => {
    const lb = await openLoopbackRedirect({ path: '/', timeoutMs: 10_000, signal: never });
    expect((await get(`${lb.redirectUri}favicon.ico`)).status).toBe(404);
    const port = new URL(lb.redirectUri).port;
    expect((await get(`${lb.redirectUri}?code=evil&state=s`, `attacker.example:${port}`)).status).toBe(400);
    const first = get(`${lb.redirectUri}?code=one&state=s`);
    const cb = await lb.callback;
    expect(cb.params.get('code')).toBe('one');
    // While the first is being handled, a second redirect is answered and changes nothing.
    const second = await get(`${lb.redirectUri}?code=two&state=s`);
    expect(second.status).toBe(409);
    expect(second.body).toContain('already finished');
    cb.respond('failure', 'Refused.');
    expect((await first).status).toBe(400);
    await lb.close();
  });

  it('rejects with TIMEOUT when no redirect comes, and stops listening', async () => {
    const lb = await openLoopbackRedirect({ path: '/', timeoutMs: 100, signal: never });
    expect((await failure(lb.callback)).code).toBe('TIMEOUT');
    await expect(get(lb.redirectUri)).rejects.toThrow();
  });

  it('rejects with ABORTED when the caller cancels, answering a waiting browser', async () => {
    const controller = new AbortController();
    const lb = await openLoopbackRedirect({ path: '/', timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    expect((await failure(lb.callback)).code).toBe('ABORTED');
    const lb2 = await openLoopbackRedirect({ path: '/', timeoutMs: 10_000, signal: never });
    const waiting = get(`${lb2.redirectUri}?state=x`);
    await lb2.callback;
    await lb2.close();
    expect((await waiting).body).toContain('cancelled');
  });
});
