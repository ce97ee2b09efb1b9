/**
 * Services own timeouts (DESIGN.md section 4): every call to a metric store runs under a deadline
 * on the injected clock, so a store that never answers, or ignores its AbortSignal, cannot hang a
 * flusher, a probe or a chart request.
 */
import type { Clock } from '../../ports/clock';
import { UpstreamError } from '../../ports/upstream-error';

/** How long a call may take, on which clock, and what may cancel it early. */
export interface DeadlineOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Named as the failing source in the UpstreamError. */
  readonly source: string;
  /** Cancels the call early (shutdown, caller gone): it then rejects with code `ABORTED`. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `work` with an AbortSignal that fires at the deadline or when `options.signal` aborts.
 * Rejects with `UpstreamError(source, 'TIMEOUT' | 'ABORTED')` at that moment even if `work` never
 * settles; otherwise settles as `work` does.
 */
export function withDeadline<T>(
  options: DeadlineOptions,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { clock, timeoutMs, source, signal } = options;
  if (signal?.aborted)
    return Promise.reject(
      new UpstreamError(source, 'ABORTED', 'aborted before start', { cause: signal.reason }),
    );
  const controller = new AbortController();
  let stop: (err: UpstreamError) => void = () => undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = (err) => {
      controller.abort(err);
      reject(err);
    };
  });
  const cancelTimer = clock.setTimeout(
    () => stop(new UpstreamError(source, 'TIMEOUT', `no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  const onAbort = (): void =>
    stop(new UpstreamError(source, 'ABORTED', 'aborted', { cause: signal?.reason }));
  signal?.addEventListener('abort', onAbort, { once: true });
  // Promise.resolve().then(): a synchronous throw from `work` becomes a rejection like any other.
  const run = Promise.resolve().then(() => work(controller.signal));
  return Promise.race([run, stopped]).finally(() => {
    cancelTimer();
    signal?.removeEventListener('abort', onAbort);
  });
}
