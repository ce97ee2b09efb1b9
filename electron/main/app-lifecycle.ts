/**
 * App lifecycle: one instance per user (a second launch focuses the first), quit when the last
 * window closes except on macOS, and a clean engine shutdown before quitting.
 */
import type { App } from 'electron';
import type { ShellLogger } from './logger';

/** macOS apps stay alive without windows (the dock re-opens them); elsewhere closing means quitting. */
export function shouldQuitWhenAllWindowsClosed(platform: NodeJS.Platform): boolean {
  return platform !== 'darwin';
}

export interface LifecycleOptions {
  readonly app: Pick<App, 'on' | 'quit'>;
  readonly platform: NodeJS.Platform;
  readonly hasWindows: () => boolean;
  readonly showConsole: () => void;
  readonly stopEngine: () => Promise<void>;
  readonly onQuitting: () => void;
  readonly logger: ShellLogger;
}

export function installLifecycle(options: LifecycleOptions): void {
  const { app, logger } = options;
  app.on('second-instance', () => options.showConsole());
  app.on('window-all-closed', () => {
    if (shouldQuitWhenAllWindowsClosed(options.platform)) app.quit();
  });
  app.on('activate', () => {
    if (!options.hasWindows()) options.showConsole();
  });

  let engineStopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (engineStopped) return;
    // Hold the quit until the engine has closed its database and sessions.
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    options.onQuitting();
    options
      .stopEngine()
      .catch((err: unknown) => logger.error({ err }, 'engine shutdown failed'))
      .finally(() => {
        engineStopped = true;
        app.quit();
      })
      .catch((err: unknown) => logger.error({ err }, 'quit failed'));
  });
}
