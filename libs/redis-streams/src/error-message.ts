/** The message of anything thrown, for logs and Redis error checks. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The group is gone: Redis replies NOGROUP when the stream or the group is
 * missing, and ends a blocked read with UNBLOCKED when its stream is
 * deleted under it.
 */
export function isNoGroup(error: unknown): boolean {
  const message = errorMessage(error);
  return (
    message.startsWith('NOGROUP') ||
    /^UNBLOCKED .*no longer exists/.test(message)
  );
}
