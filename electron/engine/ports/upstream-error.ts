/** Error raised by adapters: which source failed, and a code a person can act on. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly source: string,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
