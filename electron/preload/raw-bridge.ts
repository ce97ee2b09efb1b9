/**
 * The object the preload exposes as `window.vigie`: `invoke` and `on`, allow-listed against the
 * contract's names. An unknown channel or event is refused here, before anything reaches the
 * main process; main checks the sender frame again, and the engine validates every request.
 * Nothing of Electron (ipcRenderer, the IpcRendererEvent) is ever handed to the page.
 */
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type RawBridge } from '../../shared/api/bridge';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/api/names';

/** The three ipcRenderer methods the bridge uses (a fake stands in for it in unit tests). */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

const allowedChannels: ReadonlySet<string> = new Set(CHANNEL_NAMES);
const allowedEvents: ReadonlySet<string> = new Set(EVENT_NAMES);

function describe(name: unknown): string {
  return typeof name === 'string' ? `"${name.slice(0, 80)}"` : `(${typeof name})`;
}

export function createRawBridge(ipc: IpcRendererPort): RawBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  // One ipcRenderer listener for all subscriptions: it drops the IpcRendererEvent and hands the
  // page the payload only. Attached while at least one subscription exists.
  const dispatch = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (typeof name !== 'string') return;
    const subscribers = listeners.get(name);
    if (!subscribers) return;
    for (const listener of [...subscribers]) {
      try {
        listener(payload);
      } catch (err: unknown) {
        // One failing view must not starve the others of the event.
        console.error(`vigie: a listener of ${describe(name)} threw`, err);
      }
    }
  };
  let attached = false;
  const subscriptionCount = (): number => [...listeners.values()].reduce((n, s) => n + s.size, 0);

  const bridge: RawBridge = {
    invoke(channel: string, request: unknown): Promise<unknown> {
      if (typeof channel !== 'string' || !allowedChannels.has(channel)) {
        return Promise.reject(new Error(`vigie: unknown channel ${describe(channel)}`));
      }
      return ipc.invoke(IPC_INVOKE, channel, request);
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (typeof event !== 'string' || !allowedEvents.has(event)) {
        throw new Error(`vigie: unknown event ${describe(event)}`);
      }
      if (typeof listener !== 'function') throw new TypeError('vigie: the listener must be a function');
      let subscribers = listeners.get(event);
      if (!subscribers) {
        subscribers = new Set();
        listeners.set(event, subscribers);
      }
      // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
      const subscription = (payload: unknown): void => listener(payload);
      subscribers.add(subscription);
      if (!attached) {
        ipc.on(IPC_EVENT, dispatch);
        attached = true;
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        subscribers.delete(subscription);
        if (subscribers.size === 0) listeners.delete(event);
        if (attached && subscriptionCount() === 0) {
          ipc.removeListener(IPC_EVENT, dispatch);
          attached = false;
        }
      };
    },
  };
  return Object.freeze(bridge);
}
