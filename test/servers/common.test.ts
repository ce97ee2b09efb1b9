import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MissingBinary,
  MissingBinaryError,
  lookupBinary,
  requireBinaries,
  skipReason,
  spawnServer,
  waitFor,
  withSkipReason,
} from './common';

const ABSENT = { binary: 'vigie-no-such-binary', debianPackage: 'vigie-no-such-package' };
const PRESENT = { binary: 'sh', debianPackage: 'dash' };

describe('binary lookup', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('finds a binary on PATH and names the package of a missing one', () => {
    expect(lookupBinary(PRESENT)).toMatch(/\/sh$/);
    const missing = lookupBinary(ABSENT);
    expect(missing).toBeInstanceOf(MissingBinary);
    expect(missing instanceof MissingBinary ? missing.reason : '').toMatch(
      /vigie-no-such-binary.*"vigie-no-such-package"/,
    );
  });

  it('outside CI, a missing binary is a typed MissingBinaryError the test can skip on', () => {
    vi.stubEnv('CI', '');
    expect(() => requireBinaries([PRESENT, ABSENT])).toThrow(MissingBinaryError);
  });

  it('under CI=true, a missing binary is a plain Error naming binary and package', () => {
    vi.stubEnv('CI', 'true');
    let thrown: unknown;
    try {
      requireBinaries([ABSENT]);
    } catch (err: unknown) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(MissingBinaryError);
    expect(thrown instanceof Error ? thrown.message : '').toMatch(
      /vigie-no-such-binary.*vigie-no-such-package/,
    );
  });

  it('skipReason prints why a suite skips, and never skips under CI=true', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('CI', '');
    const reason = skipReason('demo', [ABSENT]);
    expect(reason).toMatch(/demo tests did not run: .*vigie-no-such-package/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('vigie-no-such-package'));
    expect(withSkipReason('demo', reason)).toMatch(/^demo \[skipped: demo tests did not run/);
    expect(skipReason('demo', [PRESENT])).toBeUndefined();
    vi.stubEnv('CI', 'true');
    expect(skipReason('demo', [ABSENT])).toBeUndefined();
  });
});

describe('waitFor', () => {
  it('resolves as soon as the probe answers true', async () => {
    let calls = 0;
    await waitFor(() => Promise.resolve(++calls >= 3), {
      what: 'third call',
      deadlineMs: 5_000,
      intervalMs: 1,
    });
    expect(calls).toBe(3);
  });

  it('fails at the deadline with the last probe error', async () => {
    await expect(
      waitFor(() => Promise.reject(new Error('connection refused')), {
        what: 'nothing',
        deadlineMs: 50,
        intervalMs: 5,
      }),
    ).rejects.toThrow(/nothing: not ready after 50 ms \(last probe error: connection refused\)/);
  });

  it('fails at once, with the logs, when the watched process exits', async () => {
    const proc = spawnServer('short-lived', process.execPath, [
      '-e',
      'console.error("bind: address in use"); process.exit(3)',
    ]);
    await proc.exited;
    await expect(
      waitFor(() => Promise.resolve(false), { what: 'server', deadlineMs: 60_000, process: proc }),
    ).rejects.toThrow(/exited before it was ready \(code 3[\s\S]*bind: address in use/);
  });
});

describe('spawnServer stop', () => {
  it('stops a process with SIGTERM', async () => {
    const proc = spawnServer('polite', process.execPath, [
      '-e',
      'console.log("up"); setInterval(() => {}, 1000)',
    ]);
    await waitFor(() => Promise.resolve(proc.logs().includes('up')), {
      what: 'polite up',
      deadlineMs: 10_000,
      process: proc,
    });
    await proc.stop();
    expect(proc.exitStatus()?.signal).toBe('SIGTERM');
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const proc = spawnServer('stubborn', process.execPath, [
      '-e',
      'process.on("SIGTERM", () => console.log("ignored")); console.log("up"); setInterval(() => {}, 1000)',
    ]);
    await waitFor(() => Promise.resolve(proc.logs().includes('up')), {
      what: 'stubborn up',
      deadlineMs: 10_000,
      process: proc,
    });
    await proc.stop(200);
    expect(proc.exitStatus()?.signal).toBe('SIGKILL');
    expect(proc.logs()).toContain('ignored');
    // Stopping again is a no-op.
    await proc.stop();
  });

  it('reports a binary that cannot be spawned as an exit with an error', async () => {
    const proc = spawnServer('absent', '/nonexistent/vigie-binary', []);
    const status = await proc.exited;
    expect(status.error?.message).toMatch(/ENOENT/);
    await proc.stop();
  });
});
