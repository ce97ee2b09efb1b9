/** A command-line seat: calls the running engine over its WebSocket, as the browser does. */
import WebSocket from 'ws';
import {
  serverMessageSchema,
  WS_CLOSE_UNAUTHENTICATED,
  type ChannelName,
  type Envelope,
  type RequestIn,
  type ResponseOf,
} from '../../../shared/api';
import { rawText } from '../server/raw-text';
import type { RuntimeInfo } from './runtime-file';

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: Envelope<unknown>) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      let raw: unknown;
      try {
        raw = JSON.parse(rawText(data));
      } catch {
        return;
      }
      const msg = serverMessageSchema.safeParse(raw);
      if (msg.success && msg.data.type === 'result') {
        this.pending.get(msg.data.id)?.(msg.data.envelope as Envelope<unknown>);
        this.pending.delete(msg.data.id);
      }
    });
    ws.on('close', () => {
      for (const resolve of this.pending.values())
        resolve({
          ok: false,
          error: {
            code: 'UPSTREAM_UNAVAILABLE',
            message: 'connection to the engine closed',
            correlationId: '-',
          },
        });
      this.pending.clear();
    });
  }

  static connect(info: RuntimeInfo, timeoutMs = 5000): Promise<EngineClient> {
    const url = `${info.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(info.token)}`;
    return new Promise((resolve, reject) => {
      // A self-signed certificate of our own engine is trusted because the runtime file (readable
      // by the service account only) names it; no other certificate is.
      const ws = new WebSocket(url, info.certificate === undefined ? {} : { ca: info.certificate });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no answer from the engine at ${info.url} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('message', () => {
        clearTimeout(timer);
        resolve(new EngineClient(ws));
      });
      ws.once('close', (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            code === WS_CLOSE_UNAUTHENTICATED
              ? 'the engine refused the token'
              : `the engine closed the connection (${code})`,
          ),
        );
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot reach the engine at ${info.url}: ${err.message}`));
      });
    });
  }

  invoke<C extends ChannelName>(channel: C, request: RequestIn<C>): Promise<Envelope<ResponseOf<C>>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (e: Envelope<unknown>) => void);
      this.ws.send(JSON.stringify({ type: 'invoke', id, channel, request }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
