import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;

const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `size` cryptographically random bytes, handed out from a pool that is
 * refilled 4 KiB at a time. Every envelope needs 24 to 40 random bytes (its
 * id and its trace ids); asking the system for each of them costs more
 * than building the rest of the envelope. The view is only valid until the
 * next call: read it at once, never keep it.
 */
export function randomBytesFromPool(size: number): Buffer {
  if (size > POOL_BYTES) {
    throw new RangeError(`randomBytesFromPool: at most ${POOL_BYTES} bytes`);
  }
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const view = pool.subarray(offset, offset + size);
  offset += size;
  return view;
}
