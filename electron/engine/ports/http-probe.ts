/** What the engine needs to check a service's HTTP health endpoint. */
export interface HttpProbeResult {
  /** HTTP status code; the adapter answers for any response, 2xx or not. */
  readonly statusCode: number;
  /** Time to the full (size-capped) body, milliseconds. */
  readonly latencyMs: number;
  /** When the response arrived, from the server's Date header when present (clock-skew checks). */
  readonly serverDate: number | null;
}

export interface HttpProbe {
  /**
   * One GET with a total deadline of `timeoutMs` and a body cap. Rejects with an UpstreamError
   * (code TIMEOUT, UNREACHABLE, TOO_LARGE or ABORTED) when there is no usable answer.
   */
  check(url: string, timeoutMs: number, signal: AbortSignal): Promise<HttpProbeResult>;
}
