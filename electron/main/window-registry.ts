/**
 * The windows showing the console's page that the shell owns (the console, the walls). The IPC
 * router asks it whether a sender is one of ours; engine events and the status title go to every
 * window in it.
 */
export interface RegisteredWindow {
  readonly webContents: {
    readonly id: number;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
  };
  isDestroyed(): boolean;
  setTitle(title: string): void;
}

export class WindowRegistry<W extends RegisteredWindow = RegisteredWindow> {
  private readonly windows = new Set<W>();

  add(window: W): void {
    this.windows.add(window);
  }

  remove(window: W): void {
    this.windows.delete(window);
  }

  /** Live windows, oldest first. */
  list(): W[] {
    return [...this.windows].filter((w) => !w.isDestroyed());
  }

  hasWebContents(webContentsId: number): boolean {
    return this.list().some((w) => !w.webContents.isDestroyed() && w.webContents.id === webContentsId);
  }

  /** Sends to every live window's page. */
  send(channel: string, ...args: unknown[]): void {
    for (const window of this.list()) {
      if (!window.webContents.isDestroyed()) window.webContents.send(channel, ...args);
    }
  }

  setTitle(title: string): void {
    for (const window of this.list()) window.setTitle(title);
  }
}
