/**
 * A small hand-written stand-in for the handful of Electron APIs the shell touches, for unit
 * tests (`vi.mock('electron', ...)`): no Electron binary exists on the machines that run them.
 * It records what the shell asked for and lets a test fire the events Electron would.
 */
type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  private readonly listeners = new Map<string, { listener: Listener; once: boolean }[]>();

  on(event: string, listener: Listener): this {
    this.add(event, listener, false);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.add(event, listener, true);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l.listener !== listener),
    );
    return this;
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  /** Calls the listeners of `event` as Electron would; returns their results. */
  emit(event: string, ...args: unknown[]): unknown[] {
    const entries = this.listeners.get(event) ?? [];
    this.listeners.set(
      event,
      entries.filter((l) => !l.once),
    );
    return entries.map((l) => (l.listener as (...a: unknown[]) => unknown)(...args));
  }

  private add(event: string, listener: Listener, once: boolean): void {
    const entries = this.listeners.get(event) ?? [];
    entries.push({ listener, once });
    this.listeners.set(event, entries);
  }
}

/** An Electron-style event: `preventDefault` and whatever details the event carries. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  readonly [key: string]: unknown;
}

export function fakeEvent(details: Record<string, unknown> = {}): FakeEvent {
  const event: FakeEvent = {
    ...details,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

let nextWebContentsId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextWebContentsId++;
  readonly mainFrame: FakeFrame = { url: '', parent: null, processId: 7, routingId: this.id * 10 };
  readonly sent: unknown[][] = [];
  readonly loaded: string[] = [];
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  destroyed = false;
  reloads = 0;

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  reload(): void {
    this.reloads += 1;
  }

  /** A subframe of this page at `url`. */
  subframe(url: string): FakeFrame {
    return {
      url,
      parent: this.mainFrame,
      processId: this.mainFrame.processId,
      routingId: this.mainFrame.routingId + 1,
    };
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  title: string;
  visible = false;
  minimized = false;
  destroyed = false;
  focused = 0;
  menuRemoved = 0;
  readonly loaded: string[] = [];

  constructor(readonly options: Record<string, unknown>) {
    super();
    this.title = typeof options['title'] === 'string' ? options['title'] : '';
    FakeBrowserWindow.instances.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }

  show(): void {
    this.visible = true;
  }

  isVisible(): boolean {
    return this.visible;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
  }

  focus(): void {
    this.focused += 1;
  }

  setTitle(title: string): void {
    this.title = title;
  }

  getTitle(): string {
    return this.title;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  removeMenu(): void {
    this.menuRemoved += 1;
  }

  /** As Electron: 'close' (which may be prevented), then the window and its page are gone, then 'closed'. */
  close(): void {
    if (this.destroyed) return;
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }

  /** As Electron: no 'close' event and no unload handlers, but 'closed' is guaranteed. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export interface FakeRectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface FakeDisplay {
  readonly id: number;
  readonly label: string;
  readonly bounds: FakeRectangle;
  readonly workArea: FakeRectangle;
  readonly size: { readonly width: number; readonly height: number };
  readonly scaleFactor: number;
  readonly internal: boolean;
}

export function fakeDisplay(id: number, bounds: FakeRectangle, scaleFactor = 1): FakeDisplay {
  return {
    id,
    label: `Fake display ${id}`,
    bounds,
    workArea: bounds,
    size: { width: bounds.width, height: bounds.height },
    scaleFactor,
    internal: false,
  };
}

/** The `screen` module: a list of displays the test changes, firing the events Electron would. */
export class FakeScreen extends FakeEmitter {
  displays: FakeDisplay[] = [];
  primaryId = 0;

  constructor() {
    super();
    this.reset();
  }

  reset(): void {
    this.removeAllListeners();
    this.displays = [fakeDisplay(1, { x: 0, y: 0, width: 1920, height: 1080 })];
    this.primaryId = 1;
  }

  getAllDisplays(): FakeDisplay[] {
    return [...this.displays];
  }

  getPrimaryDisplay(): FakeDisplay {
    return this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0]!;
  }

  addDisplay(display: FakeDisplay): void {
    this.displays.push(display);
    this.emit('display-added', fakeEvent(), display);
  }

  removeDisplay(id: number): void {
    const display = this.displays.find((d) => d.id === id);
    if (!display) return;
    this.displays = this.displays.filter((d) => d !== display);
    this.emit('display-removed', fakeEvent(), display);
  }

  changeDisplay(display: FakeDisplay, changedMetrics: string[]): void {
    this.displays = this.displays.map((d) => (d.id === display.id ? display : d));
    this.emit('display-metrics-changed', fakeEvent(), display, changedMetrics);
  }
}

/** The `powerSaveBlocker` module: which blockers are held, and every start and stop asked for. */
export class FakePowerSaveBlocker {
  readonly active = new Map<number, string>();
  readonly started: string[] = [];
  readonly stopped: number[] = [];
  private nextId = 100;

  start(type: string): number {
    const id = this.nextId++;
    this.active.set(id, type);
    this.started.push(type);
    return id;
  }

  stop(id: number): boolean {
    this.stopped.push(id);
    return this.active.delete(id);
  }

  isStarted(id: number): boolean {
    return this.active.has(id);
  }

  reset(): void {
    this.active.clear();
    this.started.length = 0;
    this.stopped.length = 0;
  }
}

export const fakeScreen = new FakeScreen();
export const fakePowerSaveBlocker = new FakePowerSaveBlocker();

export interface FakeRepresentation {
  readonly scaleFactor: number;
  readonly buffer: Buffer;
}

export class FakeNativeImage {
  constructor(readonly representations: FakeRepresentation[]) {}

  addRepresentation(options: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push({ scaleFactor: options.scaleFactor, buffer: options.buffer });
  }
}

export const fakeNativeImage = {
  createFromBuffer(buffer: Buffer, options?: { scaleFactor?: number }): FakeNativeImage {
    return new FakeNativeImage([{ scaleFactor: options?.scaleFactor ?? 1, buffer }]);
  },
};

export interface FakeMenuItem {
  readonly label?: string;
  readonly type?: string;
  readonly role?: string;
  readonly enabled?: boolean;
  readonly checked?: boolean;
  readonly submenu?: FakeMenuItem[];
  readonly click?: () => void;
}

export class FakeMenu {
  static applicationMenu: FakeMenu | null = null;
  constructor(readonly template: FakeMenuItem[]) {}

  static buildFromTemplate(template: FakeMenuItem[]): FakeMenu {
    return new FakeMenu(template);
  }

  static setApplicationMenu(menu: FakeMenu | null): void {
    FakeMenu.applicationMenu = menu;
  }
}

export class FakeTray extends FakeEmitter {
  static instances: FakeTray[] = [];
  readonly images: FakeNativeImage[] = [];
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;

  constructor(image: FakeNativeImage) {
    super();
    this.images.push(image);
    FakeTray.instances.push(this);
  }

  get image(): FakeNativeImage | undefined {
    return this.images.at(-1);
  }

  setImage(image: FakeNativeImage): void {
    this.images.push(image);
  }

  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }

  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeSession {
  permissionRequestHandler: ((...args: never[]) => unknown) | null = null;
  permissionCheckHandler: ((...args: never[]) => unknown) | null = null;
  devicePermissionHandler: ((...args: never[]) => unknown) | null = null;

  setPermissionRequestHandler(handler: ((...args: never[]) => unknown) | null): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: ((...args: never[]) => unknown) | null): void {
    this.permissionCheckHandler = handler;
  }

  setDevicePermissionHandler(handler: ((...args: never[]) => unknown) | null): void {
    this.devicePermissionHandler = handler;
  }
}

/** Records the order of calls that must happen before `ready`. */
export const calls: string[] = [];

export class FakeApp extends FakeEmitter {
  isPackaged = false;
  hasLock = true;
  readonly paths = new Map<string, string>();
  quits = 0;
  languages = ['en-GB'];
  readonly switches = new Map<string, string>();
  readonly commandLine = {
    getSwitchValue: (name: string): string => this.switches.get(name) ?? '',
  };
  private readyResolvers: (() => void)[] = [];

  getPreferredSystemLanguages(): string[] {
    return this.languages;
  }

  getVersion(): string {
    return '0.1.0-test';
  }

  reset(): void {
    this.languages = ['en-GB'];
    this.switches.clear();
    this.removeAllListeners();
    this.isPackaged = false;
    this.hasLock = true;
    this.paths.clear();
    this.quits = 0;
    this.readyResolvers = [];
  }

  enableSandbox(): void {
    calls.push('app.enableSandbox');
  }

  requestSingleInstanceLock(): boolean {
    calls.push('app.requestSingleInstanceLock');
    return this.hasLock;
  }

  whenReady(): Promise<void> {
    calls.push('app.whenReady');
    return new Promise((resolve) => this.readyResolvers.push(resolve));
  }

  /** Lets the test decide when the app becomes ready. */
  becomeReady(): void {
    for (const resolve of this.readyResolvers) resolve();
    this.readyResolvers = [];
  }

  setPath(name: string, path: string): void {
    calls.push(`app.setPath:${name}`);
    this.paths.set(name, path);
  }

  getPath(name: string): string {
    return this.paths.get(name) ?? `/fake/${name}`;
  }

  quit(): void {
    this.quits += 1;
    calls.push('app.quit');
  }

  exit(code: number): void {
    calls.push(`app.exit:${code}`);
  }
}

export const fakeProtocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    calls.push('protocol.registerSchemesAsPrivileged');
    fakeProtocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    fakeProtocol.handlers.set(scheme, handler);
  },
};

export const fakeIpcMain = {
  handlers: new Map<string, (...args: never[]) => unknown>(),
  handle(channel: string, handler: (...args: never[]) => unknown): void {
    if (fakeIpcMain.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    fakeIpcMain.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    fakeIpcMain.handlers.delete(channel);
  },
};

export const fakeApp = new FakeApp();
export const fakeDefaultSession = new FakeSession();

/** Fresh state for each test. */
export function resetFakeElectron(): void {
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeMenu.applicationMenu = null;
  calls.length = 0;
  fakeProtocol.privileged = [];
  fakeProtocol.handlers.clear();
  fakeIpcMain.handlers.clear();
  fakeApp.reset();
  fakeDefaultSession.permissionRequestHandler = null;
  fakeDefaultSession.permissionCheckHandler = null;
  fakeDefaultSession.devicePermissionHandler = null;
  fakeScreen.reset();
  fakePowerSaveBlocker.reset();
}

/** The module `vi.mock('electron', ...)` returns. */
export function fakeElectronModule(): Record<string, unknown> {
  return {
    app: fakeApp,
    session: { defaultSession: fakeDefaultSession },
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Menu: FakeMenu,
    nativeImage: fakeNativeImage,
    protocol: fakeProtocol,
    ipcMain: fakeIpcMain,
    screen: fakeScreen,
    powerSaveBlocker: fakePowerSaveBlocker,
    shell: {
      openExternal: (url: string) => {
        calls.push(`shell.openExternal ${url}`);
        return Promise.resolve();
      },
    },
    // No keyring on the machines that run unit tests: the shell hands the engine no vault key.
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => {
        throw new Error('safeStorage unavailable');
      },
      decryptString: () => {
        throw new Error('safeStorage unavailable');
      },
    },
    /** Not Electron: lets a test that re-imports modules reach the instance the code under test got. */
    __fake: { calls, fakeApp, fakeProtocol, resetFakeElectron },
  };
}

export interface FakeHandles {
  readonly calls: string[];
  readonly fakeApp: FakeApp;
  readonly fakeProtocol: typeof fakeProtocol;
  readonly resetFakeElectron: () => void;
}
