import type { BenchPayload } from '../model/workload.types.js';

/** Width of the sequence field: up to 10^9 messages per phase. */
const SEQUENCE_WIDTH = 9;

/** Current time in ms since the epoch, with sub-ms resolution. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Builds payloads whose JSON is exactly `size` bytes. Every field has a
 * fixed width (the sequence is zero-padded, the time has three decimals),
 * so the padding is computed once per size, not per message.
 */
export class PayloadFactory {
  private readonly padding: string;

  constructor(
    readonly tag: string,
    readonly size: number,
  ) {
    const probe = JSON.stringify(this.build(0, ''));
    const free = size - Buffer.byteLength(probe);
    if (free < 0) {
      throw new RangeError(
        `message size ${size} is below the ${probe.length} bytes of the ` +
          'fields the benchmark needs',
      );
    }
    this.padding = 'x'.repeat(free);
  }

  /** The payload of message `sequence`, stamped with the current time. */
  next(sequence: number): BenchPayload {
    return this.build(sequence, this.padding);
  }

  private build(sequence: number, padding: string): BenchPayload {
    return {
      t: this.tag,
      s: String(sequence).padStart(SEQUENCE_WIDTH, '0'),
      // 13 digits, a point, 3 decimals until the year 2286.
      at: wallClockMs().toFixed(3),
      p: padding,
    };
  }
}

/** JSON bytes of a payload, as the raw drivers send them. */
export function encodePayload(payload: BenchPayload): Buffer {
  return Buffer.from(JSON.stringify(payload));
}

/** The payload back from bytes; throws on anything else. */
export function decodePayload(body: Buffer | string): BenchPayload {
  const value = JSON.parse(
    typeof body === 'string' ? body : body.toString('utf8'),
  ) as BenchPayload;
  if (typeof value?.t !== 'string' || typeof value.at !== 'string') {
    throw new TypeError('not a benchmark payload');
  }
  return value;
}
