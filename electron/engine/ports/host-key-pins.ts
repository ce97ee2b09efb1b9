/**
 * Pinned SSH host keys, one per device: the key an operator confirmed on first contact. A
 * connection to a device is made only when the server presents its pinned key (trust on first
 * use, confirmed by a person, as OpenSSH's known_hosts but kept in Vigie's store and audited).
 */
export interface HostKeyPin {
  readonly deviceId: string;
  /** Key type from the key blob, e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** `SHA256:` + base64 without padding, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** The public key blob, base64. */
  readonly publicKey: string;
  /** `host:port` the key was presented at when confirmed (for the record; pins are per device). */
  readonly endpoint: string;
  /** Epoch ms. */
  readonly pinnedAt: number;
  /** Who confirmed it (the seat). */
  readonly pinnedBy: string;
}

export interface HostKeyPinStore {
  getHostKeyPin(deviceId: string): Promise<HostKeyPin | null>;
  listHostKeyPins(): Promise<HostKeyPin[]>;
  /** Inserts or replaces the device's pin; resolves once committed. */
  saveHostKeyPin(pin: HostKeyPin): Promise<void>;
  /** Whether a pin was removed. */
  deleteHostKeyPin(deviceId: string): Promise<boolean>;
}
