/**
 * Composition root of the Electron shell, run once the app is ready: session hardening, the
 * app:// protocol, the engine supervisor, the IPC router, the console window, the wall displays,
 * the menus and the tray.
 */
import { join } from 'node:path';
import {
  app,
  ipcMain,
  Menu,
  powerSaveBlocker,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  type BrowserWindow,
} from 'electron';
import { IPC_EVENT } from '../../shared/api/bridge';
import { EVENT_NAMES } from '../../shared/api/names';
import { configFileFrom, shellPaths } from './app-paths';
import { installLifecycle } from './app-lifecycle';
import { applicationMenuTemplate } from './app-menu';
import { serveAppProtocol } from './app-protocol';
import { createConsoleWindow, revealWindow } from './console-window';
import { forkEngineHost } from './engine-process';
import { engineArgs } from './engine-protocol';
import { EngineSupervisor } from './engine-supervisor';
import { registerIpcRouter } from './ipc-router';
import { createShellLogger } from './logger';
import { APP_ENTRY_URL, trustedOrigins } from './security-policy';
import { pickLocale } from './shell-strings';
import { ShellStatus, windowTitle } from './shell-status';
import { createStatusTray, type StatusTray } from './status-tray';
import { wallMenuItems } from './wall-menu';
import { createWallWindow, WallWindows } from './wall-window';
import { denyPopupsAndWebviews, hardenSession } from './web-contents-hardening';
import { WindowRegistry } from './window-registry';
import { desktopVaultKey } from './vault-key';
import { signInUrlToOpen } from './sso-browser';

const events: ReadonlySet<string> = new Set(EVENT_NAMES);

export function startShell(mainDir: string): void {
  const paths = shellPaths(mainDir);
  const dataDir = app.getPath('userData');
  const logger = createShellLogger(join(dataDir, 'logs'), !app.isPackaged);
  const locale = pickLocale(app.getPreferredSystemLanguages());
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  const trusted = trustedOrigins(devUrl, app.isPackaged);
  const consoleUrl = devUrl !== undefined && trusted.length > 1 ? devUrl : APP_ENTRY_URL;
  logger.info({ version: app.getVersion(), dataDir, locale, consoleUrl }, 'shell starting');

  hardenSession(session.defaultSession, logger.child({ module: 'session' }));
  app.on('web-contents-created', (_event, contents) =>
    denyPopupsAndWebviews(contents, logger.child({ module: 'web-contents' })),
  );
  serveAppProtocol(protocol, paths.renderer, logger.child({ module: 'app-protocol' }));

  // Console and wall windows alike: engine events, the IPC sender check and the title.
  const windows = new WindowRegistry<BrowserWindow>();
  const status = new ShellStatus();
  let tray: StatusTray | null = null;
  const refreshStatus = (): void => {
    windows.setTitle(windowTitle(status.status, status.training, locale, status.alarms));
    tray?.show(status.status, status.training, status.alarms);
  };

  const engineLog = logger.child({ module: 'engine' });
  const configFile = configFileFrom(app.commandLine.getSwitchValue('config'), process.env);
  // The vault key goes to the engine in its first message, never on its command line.
  const vault = desktopVaultKey({ safeStorage, dir: dataDir, platform: process.platform });
  if ('unavailable' in vault) engineLog.warn({ reason: vault.unavailable }, 'vault disabled');
  const engine = new EngineSupervisor({
    spawn: () => {
      const child = forkEngineHost(
        paths.engineHost,
        engineArgs({ dataDir, ...(configFile === undefined ? {} : { configFile }) }),
        engineLog,
      );
      child.postMessage({ type: 'start', vault });
      return child;
    },
    logger: engineLog,
  });
  engine.onEvent((event, payload) => {
    if (!events.has(event)) {
      engineLog.warn({ event: event.slice(0, 80) }, 'engine sent an event outside the contract (dropped)');
      return;
    }
    windows.send(IPC_EVENT, event, payload);
    if (event === 'overview.changed' && status.applyOverview(payload)) refreshStatus();
    if (event === 'alarms.changed' && status.applyAlarms(payload)) refreshStatus();
  });
  engine.onReady((info) => {
    if (status.setTraining(info.training)) refreshStatus();
    // The tray should not wait for the first change to show the state.
    engine
      .invoke('overview.get', {})
      .then((answer) => {
        if (answer.ok && status.applyOverview(answer.value)) refreshStatus();
      })
      .catch((err: unknown) => engineLog.error({ err }, 'first overview failed'));
    engine
      .invoke('alarms.list', { limit: 1 })
      .then((answer) => {
        if (answer.ok && status.applyAlarms(answer.value)) refreshStatus();
      })
      .catch((err: unknown) => engineLog.error({ err }, 'first alarm list failed'));
  });
  engine.onDown(() => {
    if (status.engineDown()) refreshStatus();
  });

  registerIpcRouter({
    ipcMain,
    engine,
    isOurWebContents: (id) => windows.hasWebContents(id),
    trustedOrigins: trusted,
    logger: logger.child({ module: 'ipc' }),
    onAnswer: (channel, answer) => {
      if (channel === 'overview.get' && answer.ok && status.applyOverview(answer.value)) refreshStatus();
      if (channel === 'alarms.list' && answer.ok && status.applyAlarms(answer.value)) refreshStatus();
      const signInUrl = signInUrlToOpen(channel, answer);
      if (signInUrl !== null)
        shell
          .openExternal(signInUrl)
          .catch((err: unknown) => logger.warn({ err }, 'could not open the browser'));
    },
  });
  engine.start();

  const register = (window: BrowserWindow): BrowserWindow => {
    windows.add(window);
    window.on('closed', () => windows.remove(window));
    return window;
  };
  const openConsole = (): BrowserWindow =>
    register(
      createConsoleWindow({
        preloadPath: paths.preload,
        url: consoleUrl,
        title: windowTitle(status.status, status.training, locale, status.alarms),
        trustedOrigins: trusted,
        logger: logger.child({ module: 'window' }),
      }),
    );

  const wallLog = logger.child({ module: 'wall' });
  const walls = new WallWindows({
    screen,
    powerSaveBlocker,
    createWindow: (display) =>
      register(
        createWallWindow({
          preloadPath: paths.preload,
          consoleUrl,
          title: windowTitle(status.status, status.training, locale, status.alarms),
          display,
          trustedOrigins: trusted,
          platform: process.platform,
          logger: wallLog,
        }),
      ),
    onChange: () => rebuildMenus(),
    logger: wallLog,
  });
  const wallItems = () =>
    wallMenuItems(locale, walls.menuState(), {
      openWall: (displayId) => walls.open(displayId),
      closeWalls: () => walls.closeAll(),
    });
  function rebuildMenus(): void {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(applicationMenuTemplate(process.platform, app.isPackaged, wallItems())),
    );
    // On Windows and Linux that gives every window the menu bar, walls included: take it back.
    if (process.platform !== 'darwin') for (const w of windows.list()) if (walls.isWall(w)) w.removeMenu();
    tray?.refreshMenu();
  }
  rebuildMenus();

  const consoles = (): BrowserWindow[] => windows.list().filter((w) => !walls.isWall(w));
  const showConsole = (): void => {
    const existing = consoles()[0];
    if (existing) revealWindow(existing);
    else openConsole();
  };

  try {
    tray = createStatusTray({
      locale,
      onShowConsole: showConsole,
      onQuit: () => app.quit(),
      moreItems: wallItems,
    });
  } catch (err: unknown) {
    // Some Linux desktops have no tray; the title still carries the state.
    logger.warn({ err }, 'no tray icon');
  }
  openConsole();

  installLifecycle({
    app,
    platform: process.platform,
    hasWindows: () => consoles().length > 0,
    showConsole,
    stopEngine: () => engine.stop(),
    onQuitting: () => {
      tray?.destroy();
      tray = null;
    },
    logger,
  });
}
