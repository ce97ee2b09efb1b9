/**
 * HttpProbe on Node's fetch. fetch waits up to 300 s by default and has no size cap
 * (PITFALLS.md), so every check has a total deadline and reads at most `maxBytes` of body.
 */
import type { HttpProbe, HttpProbeResult } from '../../ports/http-probe';
import { UpstreamError } from '../../ports/upstream-error';

export class FetchHttpProbe implements HttpProbe {
  constructor(
    private readonly maxBytes = 64 * 1024,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async check(url: string, timeoutMs: number, signal: AbortSignal): Promise<HttpProbeResult> {
    const source = `http:${url}`;
    if (signal.aborted) throw new UpstreamError(source, 'ABORTED', 'aborted before start');
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    const started = this.now();
    try {
      const res = await fetch(url, {
        signal: combined,
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
      let received = 0;
      if (res.body) {
        const reader = res.body.getReader();
        try {
          for (;;) {
            const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
            if (chunk.done || !chunk.value) break;
            received += chunk.value.byteLength;
            if (received > this.maxBytes) {
              await reader.cancel();
              throw new UpstreamError(
                source,
                'TOO_LARGE',
                `health response larger than ${this.maxBytes} bytes`,
              );
            }
          }
        } finally {
          reader.releaseLock();
        }
      }
      const date = res.headers.get('date');
      const serverDate = date ? Date.parse(date) : NaN;
      return {
        statusCode: res.status,
        latencyMs: this.now() - started,
        serverDate: Number.isFinite(serverDate) ? serverDate : null,
      };
    } catch (err: unknown) {
      if (err instanceof UpstreamError) throw err;
      if (signal.aborted) throw new UpstreamError(source, 'ABORTED', 'aborted', { cause: err });
      if (deadline.aborted)
        throw new UpstreamError(source, 'TIMEOUT', `no answer within ${timeoutMs} ms`, { cause: err });
      const code =
        (err instanceof Error && err.cause instanceof Error && 'code' in err.cause
          ? String(err.cause.code)
          : '') || 'UNREACHABLE';
      throw new UpstreamError(
        source,
        'UNREACHABLE',
        code === 'UNREACHABLE' ? 'unreachable' : `unreachable (${code})`,
        { cause: err },
      );
    }
  }
}
