/**
 * Asks the engine served by `vigie serve` directly, over its WebSocket seat (as the CLI does: no
 * Origin, the seat token), so an end-to-end test can compare what the console shows with what the
 * engine answers. Anonymous (read-only) unless given the engine key of the runtime file.
 */
import WebSocket from 'ws';
import type { ChannelName, Envelope, RequestIn, ResponseOf } from '../../../shared/api';

export async function engineCall<C extends ChannelName>(
  url: string,
  token: string,
  channel: C,
  request: RequestIn<C>,
  /** The engine key of the runtime file: signs in first as the command line does (operator, admin). */
  key?: string,
): Promise<ResponseOf<C>> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
  try {
    return await new Promise<ResponseOf<C>>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`the engine closed the seat (${code})`)));
      ws.on('message', (data: WebSocket.RawData) => {
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as Uint8Array).toString('utf8');
        const message = JSON.parse(text) as {
          type: string;
          id?: number;
          envelope?: Envelope<ResponseOf<C>>;
        };
        const ask = () => ws.send(JSON.stringify({ type: 'invoke', id: 1, channel, request }));
        if (message.type === 'hello') {
          // The request waits for the sign-in's answer: the engine handles messages concurrently.
          if (key === undefined) ask();
          else
            ws.send(
              JSON.stringify({
                type: 'invoke',
                id: 0,
                channel: 'session.signIn',
                request: { method: 'key', key },
              }),
            );
        } else if (message.type === 'result' && message.id === 0) {
          if (message.envelope?.ok) ask();
          else reject(new Error('the engine refused its own key'));
        } else if (message.type === 'result' && message.id === 1 && message.envelope) {
          const envelope = message.envelope;
          if (envelope.ok) resolve(envelope.value);
          else reject(new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`));
        }
      });
    });
  } finally {
    ws.removeAllListeners('close');
    ws.close();
  }
}
