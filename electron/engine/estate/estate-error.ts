/** Why the training estate refused or failed an operation. */
export type EstateErrorCode =
  /** `runScenario` got an id that is not in the scenario table; the message lists the valid ids. */
  | 'UNKNOWN_SCENARIO'
  /** A device id the estate does not have (or that does not speak the protocol asked for). */
  | 'UNKNOWN_DEVICE'
  /** `startEstate` got options it cannot use (empty host or community). */
  | 'INVALID_OPTIONS'
  /** No free UDP or TCP port could be bound on the host after several attempts. */
  | 'PORT_UNAVAILABLE'
  /** An agent or server could not start for another reason (see `cause`). */
  | 'START_FAILED'
  /** The estate was stopped: it no longer runs scenarios. */
  | 'STOPPED'
  /** Some sockets or servers did not close cleanly (see `cause`). */
  | 'STOP_FAILED';

/** Error raised by the training estate, with a code the caller can branch on. */
export class EstateError extends Error {
  override readonly name = 'EstateError';
  constructor(
    readonly code: EstateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
