import { v7 as uuidv7 } from 'uuid';
import { randomBytesFromPool } from '../random/random-pool.js';

/** Milliseconds and counter of the last id, so ids of one process sort. */
const state = { msecs: -Infinity, seq: 0 };

/**
 * A new message id: a UUID v7, so ids sort by creation time, and ids made
 * by one process in the same millisecond sort in the order they were made
 * (RFC 9562's counter, as uuid keeps it when called without options). The
 * random bytes come from a pool; see randomBytesFromPool.
 */
export function newMessageId(): string {
  const random = randomBytesFromPool(16);
  const now = Date.now();
  if (now > state.msecs) {
    state.msecs = now;
    state.seq = random.readUInt32BE(6) & 0x7fffffff;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) {
      state.msecs += 1;
    }
  }
  return uuidv7({ random, msecs: state.msecs, seq: state.seq });
}
