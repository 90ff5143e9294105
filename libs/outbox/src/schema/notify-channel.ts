/** PostgreSQL cuts identifiers, channel names included, at 63 bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Default NOTIFY channel of an outbox: `<schema>_outbox`, so services that
 * share one database do not wake each other's relays. A cut name that two
 * schemas share only costs a spurious wake-up.
 */
export function defaultNotifyChannel(schema: string | undefined): string {
  let name = `${schema ?? 'public'}_outbox`;
  while (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    name = name.slice(0, -1);
  }
  return name;
}
