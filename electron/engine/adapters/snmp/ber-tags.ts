/**
 * BER tags of varbind values (RFC 3416 section 3, RFC 2578 section 7.1), as net-snmp reports them
 * in `Varbind.type`. Plain numbers: the library's ObjectType enum has aliases that make an
 * exhaustive switch over it unreadable.
 */
export const BER_TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  ipAddress: 0x40,
  counter32: 0x41,
  gauge32: 0x42,
  timeTicks: 0x43,
  opaque: 0x44,
  counter64: 0x46,
  noSuchObject: 0x80,
  noSuchInstance: 0x81,
  endOfMibView: 0x82,
} as const;

/** Dotted numeric OID without a leading dot. */
export const NUMERIC_OID = /^\d+(\.\d+)+$/;
