import { HeaderNames } from '@mq/core';
import { EntryFields } from './redis-streams.constants.js';

/** One stream entry, split into envelope headers and the raw body. */
export interface StreamEntry {
  /** The Redis entry id, `<ms>-<seq>`. */
  readonly id: string;
  readonly headers: Record<string, string>;
  /** The payload bytes exactly as stored. */
  readonly body: Buffer;
  /** Set on retried and redriven copies: only this group handles them. */
  readonly targetGroup?: string;
}

type FieldList = Array<string | Buffer>;

/**
 * Field/value list for XADD: the headers, then the body as raw bytes.
 * Header names that collide with the transport's own fields are refused.
 */
export function encodeEntryFields(
  headers: Record<string, string>,
  body: Buffer,
  targetGroup?: string,
): FieldList {
  const fields: FieldList = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name === EntryFields.body || name === EntryFields.targetGroup) {
      throw new TypeError(
        `header "${name}" is reserved by the Redis Streams transport`,
      );
    }
    fields.push(name, value);
  }
  if (targetGroup !== undefined) {
    fields.push(EntryFields.targetGroup, targetGroup);
  }
  fields.push(EntryFields.body, body);
  return fields;
}

/** Re-encodes an entry as read, optionally replacing or adding headers. */
export function entryFields(
  entry: StreamEntry,
  overrides: Record<string, string> = {},
  targetGroup?: string,
): FieldList {
  return encodeEntryFields(
    { ...entry.headers, ...overrides },
    entry.body,
    targetGroup,
  );
}

/**
 * Reads one entry of an XRANGE / XREADGROUP / XAUTOCLAIM reply made with a
 * Buffer command. Undefined for a deleted entry (Redis 6.2 returns its id
 * with no fields).
 */
export function decodeEntry(raw: unknown): StreamEntry | undefined {
  if (!Array.isArray(raw) || raw.length < 2 || !Array.isArray(raw[1])) {
    return undefined;
  }
  const id = String(raw[0]);
  const values = raw[1] as Buffer[];
  const headers: Record<string, string> = {};
  let body = Buffer.alloc(0);
  let targetGroup: string | undefined;
  for (let i = 0; i + 1 < values.length; i += 2) {
    const name = values[i].toString('utf8');
    const value = values[i + 1];
    if (name === EntryFields.body) {
      body = Buffer.from(value);
    } else if (name === EntryFields.targetGroup) {
      targetGroup = value.toString('utf8');
    } else {
      headers[name] = value.toString('utf8');
    }
  }
  return { id, headers, body, targetGroup };
}

/** Entry ids of a reply, deleted entries included. */
export function entryIdOf(raw: unknown): string | undefined {
  return Array.isArray(raw) && raw.length > 0 ? String(raw[0]) : undefined;
}

/** The delivery number carried by the `mq-attempt` header, 1 by default. */
export function headerAttempt(entry: StreamEntry): number {
  const attempt = Number(entry.headers[HeaderNames.attempt]);
  return Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/** Compares two stream ids numerically. */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = splitId(a);
  const [bMs, bSeq] = splitId(b);
  if (aMs !== bMs) {
    return aMs < bMs ? -1 : 1;
  }
  if (aSeq !== bSeq) {
    return aSeq < bSeq ? -1 : 1;
  }
  return 0;
}

function splitId(id: string): [bigint, bigint] {
  const [ms, seq = '0'] = id.split('-');
  return [BigInt(ms), BigInt(seq)];
}
