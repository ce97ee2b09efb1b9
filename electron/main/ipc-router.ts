/**
 * The one IPC entry point (`vigie:invoke`): checks that the caller is the main frame of one of
 * our console windows showing the console's origin, then forwards the call to the engine for the
 * desktop seat (the engine resolves who is signed in on it). Anything else gets a FORBIDDEN envelope and a log line, never an exception.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Envelope } from '../../shared/api';
import { IPC_INVOKE } from '../../shared/api/bridge';
import { CHANNEL_NAMES } from '../../shared/api/names';
import { failure, newCorrelationId } from './envelopes';
import type { ShellLogger } from './logger';
import { checkIpcSender, type SenderInfo } from './security-policy';

export interface EngineInvoker {
  invoke(channel: string, request: unknown): Promise<Envelope<unknown>>;
}

export interface IpcRouterOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly engine: EngineInvoker;
  readonly isOurWebContents: (webContentsId: number) => boolean;
  readonly trustedOrigins: readonly string[];
  readonly logger: ShellLogger;
  /** Sees every answer the engine gives (the shell reads overview.get for the tray). */
  readonly onAnswer?: (channel: string, envelope: Envelope<unknown>) => void;
}

const channels: ReadonlySet<string> = new Set(CHANNEL_NAMES);

/** What the router knows about the sender of an invoke event. */
export function describeSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  isOurWebContents: (id: number) => boolean,
): SenderInfo {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return {
    frameUrl: frame === null ? null : frame.url,
    isMainFrame:
      frame !== null &&
      frame.parent === null &&
      frame.processId === main.processId &&
      frame.routingId === main.routingId,
    fromOurWindow: isOurWebContents(event.sender.id),
  };
}

/** Registers the handler; returns the function that removes it. */
export function registerIpcRouter(options: IpcRouterOptions): () => void {
  const { ipcMain, engine, isOurWebContents, trustedOrigins, logger, onAnswer } = options;
  ipcMain.handle(
    IPC_INVOKE,
    async (event: IpcMainInvokeEvent, channel: unknown, request: unknown): Promise<Envelope<unknown>> => {
      let sender: SenderInfo;
      try {
        sender = describeSender(event, isOurWebContents);
      } catch (err: unknown) {
        // A frame that is being torn down can throw on access: treat it as gone.
        logger.warn({ err }, 'could not inspect the IPC sender');
        sender = { frameUrl: null, isMainFrame: false, fromOurWindow: false };
      }
      const decision = checkIpcSender(sender, trustedOrigins);
      if (!decision.allowed) {
        const correlationId = newCorrelationId();
        logger.warn(
          { reason: decision.reason, url: sender.frameUrl?.slice(0, 200) ?? null, correlationId },
          'IPC call refused',
        );
        return failure('FORBIDDEN', 'this page may not call the engine', correlationId);
      }
      if (typeof channel !== 'string' || !channels.has(channel)) {
        const correlationId = newCorrelationId();
        logger.warn(
          { channel: typeof channel === 'string' ? channel.slice(0, 80) : typeof channel, correlationId },
          'unknown channel',
        );
        return failure('NOT_FOUND', 'unknown channel', correlationId);
      }
      const envelope = await engine.invoke(channel, request);
      if (onAnswer) {
        try {
          onAnswer(channel, envelope);
        } catch (err: unknown) {
          logger.error({ err, channel }, 'answer observer threw');
        }
      }
      return envelope;
    },
  );
  return () => ipcMain.removeHandler(IPC_INVOKE);
}
