import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../ports/upstream-error';
import { withDeadline } from './deadline';
import { FakeClock } from './test-support/fake-clock';

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('settles as the work does and disarms its timer', async () => {
    const clock = new FakeClock();
    await expect(
      withDeadline({ clock, timeoutMs: 1000, source: 's' }, () => Promise.resolve(7)),
    ).resolves.toBe(7);
    expect(clock.pendingTimers()).toBe(0);
    const failure = new UpstreamError('s', 'UNAVAILABLE', 'down');
    await expect(
      withDeadline({ clock, timeoutMs: 1000, source: 's' }, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects with TIMEOUT at the deadline and aborts the work, even if the work ignores its signal', async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | null = null;
    const call = withDeadline({ clock, timeoutMs: 1000, source: 'influx' }, (signal) => {
      seen = signal;
      return never();
    });
    clock.advance(999);
    clock.advance(1);
    await expect(call).rejects.toMatchObject({ name: 'UpstreamError', source: 'influx', code: 'TIMEOUT' });
    expect((seen as AbortSignal | null)?.aborted).toBe(true);
  });

  it('rejects with ABORTED when the caller aborts, or before starting when it already has', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const call = withDeadline({ clock, timeoutMs: 1000, source: 's', signal: controller.signal }, never);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    expect(clock.pendingTimers()).toBe(0);
    let started = false;
    await expect(
      withDeadline({ clock, timeoutMs: 1000, source: 's', signal: controller.signal }, () => {
        started = true;
        return Promise.resolve(1);
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(started).toBe(false);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const clock = new FakeClock();
    await expect(
      withDeadline({ clock, timeoutMs: 1000, source: 's' }, () => {
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
  });
});
