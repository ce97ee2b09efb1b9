import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/api';
import { IPC_INVOKE } from '../../shared/api/bridge';
import {
  fakeIpcMain,
  FakeWebContents,
  resetFakeElectron,
  type FakeFrame,
} from './test-support/fake-electron';
import { fakeLogger } from './test-support/fake-logger';
import { registerIpcRouter } from './ipc-router';
import { APP_ORIGIN } from './security-policy';

type Handler = (
  event: { sender: FakeWebContents; senderFrame: FakeFrame | null },
  channel: unknown,
  request: unknown,
) => Promise<Envelope<unknown>>;

function setUp() {
  resetFakeElectron();
  const ours = new FakeWebContents();
  ours.mainFrame.url = 'app://vigie/index.html';
  const engine = {
    invoke: vi.fn((_channel: string, _request: unknown) =>
      Promise.resolve<Envelope<unknown>>({ ok: true, value: { answered: true } }),
    ),
  };
  const onAnswer = vi.fn();
  const logger = fakeLogger();
  const unregister = registerIpcRouter({
    ipcMain: fakeIpcMain,
    engine,
    isOurWebContents: (id) => id === ours.id,
    trustedOrigins: [APP_ORIGIN],
    logger,
    onAnswer,
  });
  const handler = fakeIpcMain.handlers.get(IPC_INVOKE) as unknown as Handler;
  return { ours, engine, handler, onAnswer, logger, unregister };
}

function expectForbidden(envelope: Envelope<unknown>): void {
  expect(envelope.ok).toBe(false);
  if (envelope.ok) return;
  expect(envelope.error.code).toBe('FORBIDDEN');
  expect(envelope.error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
}

describe('the IPC router', () => {
  let t: ReturnType<typeof setUp>;
  beforeEach(() => {
    t = setUp();
  });

  it('forwards a call from the console main frame to the engine for the desktop seat', async () => {
    const envelope = await t.handler({ sender: t.ours, senderFrame: t.ours.mainFrame }, 'overview.get', {});
    expect(envelope).toEqual({ ok: true, value: { answered: true } });
    expect(t.engine.invoke).toHaveBeenCalledExactlyOnceWith('overview.get', {});
    expect(t.onAnswer).toHaveBeenCalledWith('overview.get', envelope);
  });

  it('refuses a sender from another origin with FORBIDDEN', async () => {
    t.ours.mainFrame.url = 'https://evil.example/';
    expectForbidden(await t.handler({ sender: t.ours, senderFrame: t.ours.mainFrame }, 'overview.get', {}));
    expect(t.engine.invoke).not.toHaveBeenCalled();
    expect(t.logger.lines.some((l) => l.level === 'warn' && l.msg === 'IPC call refused')).toBe(true);
  });

  it('refuses a subframe, even one at app://vigie', async () => {
    const frame = t.ours.subframe('app://vigie/index.html');
    expectForbidden(await t.handler({ sender: t.ours, senderFrame: frame }, 'overview.get', {}));
    expect(t.engine.invoke).not.toHaveBeenCalled();
  });

  it('refuses a subframe from another origin', async () => {
    const frame = t.ours.subframe('https://ads.example/frame.html');
    expectForbidden(
      await t.handler({ sender: t.ours, senderFrame: frame }, 'estate.runScenario', { id: 'power-failure' }),
    );
    expect(t.engine.invoke).not.toHaveBeenCalled();
  });

  it('refuses a WebContents that is not one of our windows', async () => {
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://vigie/index.html';
    expectForbidden(
      await t.handler({ sender: stranger, senderFrame: stranger.mainFrame }, 'overview.get', {}),
    );
    expect(t.engine.invoke).not.toHaveBeenCalled();
  });

  it('refuses a sender whose frame is gone', async () => {
    expectForbidden(await t.handler({ sender: t.ours, senderFrame: null }, 'overview.get', {}));
  });

  it('answers NOT_FOUND for a channel outside the contract, without calling the engine', async () => {
    const envelope = await t.handler({ sender: t.ours, senderFrame: t.ours.mainFrame }, 'fs.readFile', {});
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) expect(envelope.error.code).toBe('NOT_FOUND');
    expect(t.engine.invoke).not.toHaveBeenCalled();
  });

  it('passes the engine error envelope through unchanged', async () => {
    const error: Envelope<unknown> = {
      ok: false,
      error: { code: 'UPSTREAM_UNAVAILABLE', message: 'down', correlationId: 'c-1' },
    };
    t.engine.invoke.mockResolvedValueOnce(error);
    expect(await t.handler({ sender: t.ours, senderFrame: t.ours.mainFrame }, 'app.info', {})).toEqual(error);
  });

  it('removes its handler when unregistered', () => {
    t.unregister();
    expect(fakeIpcMain.handlers.has(IPC_INVOKE)).toBe(false);
  });
});
