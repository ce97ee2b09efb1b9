import { describe, expect, it } from 'vitest';
import { FakeClock } from '../metrics/test-support/fake-clock';
import { hashToken, SessionManager } from './sessions';
import { MemoryAccountStore } from './test-support/memory-account-store';

const MIN = 60_000;
const HOUR = 60 * MIN;

function setup(policy: { absoluteMs?: number; idleMs?: number } = {}) {
  const clock = new FakeClock();
  const store = new MemoryAccountStore();
  const sessions = new SessionManager({ store, clock, policy });
  return { clock, store, sessions };
}

describe('SessionManager', () => {
  it('issues a 32-byte base64url token and keeps only its SHA-256', async () => {
    const { store, sessions } = setup();
    const { token, session } = await sessions.create('alice');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(await store.getSession(hashToken(token))).toMatchObject({ personId: 'alice' });
    expect(JSON.stringify(await store.getSession(hashToken(token)))).not.toContain(token);
    expect(session.personId).toBe('alice');
    const other = await sessions.create('alice');
    expect(other.token).not.toBe(token);
  });

  it('ends a session idle for 30 minutes; each use moves the idle end', async () => {
    const { clock, sessions } = setup();
    const { token } = await sessions.create('alice');
    clock.advance(29 * MIN);
    expect((await sessions.touch(token)).ok).toBe(true);
    clock.advance(29 * MIN);
    expect((await sessions.touch(token)).ok).toBe(true);
    clock.advance(30 * MIN);
    expect(await sessions.touch(token)).toEqual({ ok: false, reason: 'EXPIRED' });
    // Once over, it is gone: the next call does not know it.
    expect(await sessions.touch(token)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('peek does not count as a use', async () => {
    const { clock, sessions } = setup();
    const { token } = await sessions.create('alice');
    clock.advance(20 * MIN);
    expect((await sessions.peek(token)).ok).toBe(true);
    clock.advance(10 * MIN);
    expect(await sessions.peek(token)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('ends a session at 12 hours however busy it is', async () => {
    const { clock, sessions } = setup();
    const { token, session } = await sessions.create('alice');
    expect(session.expiresAt - session.createdAt).toBe(12 * HOUR);
    for (let i = 0; i < 47; i++) {
      clock.advance(15 * MIN);
      expect((await sessions.touch(token)).ok).toBe(true);
    }
    clock.advance(15 * MIN);
    expect(await sessions.touch(token)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('takes other lifetimes', async () => {
    const { clock, sessions } = setup({ absoluteMs: HOUR, idleMs: 5 * MIN });
    const { token, session } = await sessions.create('alice');
    expect(session.idleExpiresAt).toBe(session.createdAt + 5 * MIN);
    clock.advance(4 * MIN);
    expect((await sessions.touch(token)).ok).toBe(true);
    clock.advance(5 * MIN);
    expect(await sessions.touch(token)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(
      () => new SessionManager({ store: new MemoryAccountStore(), clock, policy: { idleMs: 0 } }),
    ).toThrow(RangeError);
  });

  it('locks a seat: LOCKED until unlocked, the session kept; unlock after expiry stays expired', async () => {
    const { clock, sessions } = setup();
    const { token } = await sessions.create('alice');
    const locked = await sessions.lock(token);
    expect(locked).toMatchObject({ ok: false, reason: 'LOCKED', session: { personId: 'alice' } });
    expect(await sessions.touch(token)).toMatchObject({ ok: false, reason: 'LOCKED' });
    clock.advance(5 * MIN);
    expect((await sessions.unlock(token)).ok).toBe(true);
    expect((await sessions.touch(token)).ok).toBe(true);
    await sessions.lock(token);
    clock.advance(31 * MIN);
    expect(await sessions.unlock(token)).toEqual({ ok: false, reason: 'EXPIRED' });
  });

  it('revokes one session, or all of a person’s at once', async () => {
    const { sessions } = setup();
    const a1 = await sessions.create('alice');
    const a2 = await sessions.create('alice');
    const b1 = await sessions.create('bob');
    await sessions.revoke(a1.token);
    expect(await sessions.touch(a1.token)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await sessions.touch(a2.token)).ok).toBe(true);
    expect(await sessions.revokeAll('alice')).toBe(1);
    expect(await sessions.touch(a2.token)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await sessions.touch(b1.token)).ok).toBe(true);
  });

  it('a session survives a restart (a new manager on the same store), revocations too', async () => {
    const { clock, store, sessions } = setup();
    const kept = await sessions.create('alice');
    const gone = await sessions.create('alice');
    await sessions.lock(kept.token);
    await sessions.revoke(gone.token);
    const restarted = new SessionManager({ store, clock });
    expect(await restarted.touch(kept.token)).toMatchObject({ ok: false, reason: 'LOCKED' });
    expect(await restarted.touch(gone.token)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('writes last use at most once a minute, and a restart sees it no later than that', async () => {
    const { clock, store, sessions } = setup();
    const { token } = await sessions.create('alice');
    const before = store.writes;
    for (let i = 0; i < 10; i++) {
      clock.advance(5_000);
      await sessions.touch(token);
    }
    expect(store.writes - before).toBe(0);
    clock.advance(10_000);
    await sessions.touch(token);
    expect(store.writes - before).toBe(1);
    expect((await store.getSession(hashToken(token)))?.lastSeenAt).toBe(clock.now());
  });

  it('a revocation that races a store read is not undone by caching what was read', async () => {
    const { store, sessions } = setup();
    const { token } = await sessions.create('alice');
    const fresh = new SessionManager({ store, clock: new FakeClock() });
    const reading = fresh.touch(token); // reads the store (not cached yet)
    await fresh.revokeAll('alice');
    expect(await reading).toEqual({ ok: false, reason: 'INVALID' });
    expect(await fresh.touch(token)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('treats malformed tokens as unknown without touching the store', async () => {
    const { sessions } = setup();
    for (const bad of ['', 'x', 'a'.repeat(44), `${'a'.repeat(42)}!`])
      expect(await sessions.touch(bad)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('purges sessions that are over, and keeps the live ones whose last use is not yet written', async () => {
    const { clock, store, sessions } = setup();
    const idle = await sessions.create('alice');
    clock.advance(10 * MIN);
    const live = await sessions.create('bob');
    clock.advance(20 * MIN + 30_000); // idle has been unused 30.5 min; live 20.5 min
    await sessions.touch(live.token); // written (more than a minute since the last write)
    clock.advance(30_000);
    await sessions.touch(live.token); // not written: 30 s since
    expect(await sessions.purgeExpired()).toBe(1);
    expect(await store.getSession(hashToken(idle.token))).toBeNull();
    expect((await sessions.touch(live.token)).ok).toBe(true);
  });
});
