/** Why and when a message was given up on. Every transport records all of it. */
export interface DeadLetterMetadata {
  /** Topic, queue, stream or table the message was consumed from. */
  readonly originalDestination: string;
  readonly consumerGroup: string;
  readonly attempts: number;
  readonly errorName: string;
  readonly errorMessage: string;
  /** ISO-8601. */
  readonly firstFailedAt: string;
  /** ISO-8601. */
  readonly lastFailedAt: string;
}

const PREFIX = 'dlq-';

const FIELDS: Record<keyof DeadLetterMetadata, string> = {
  originalDestination: `${PREFIX}original-destination`,
  consumerGroup: `${PREFIX}consumer-group`,
  attempts: `${PREFIX}attempts`,
  errorName: `${PREFIX}error-name`,
  errorMessage: `${PREFIX}error-message`,
  firstFailedAt: `${PREFIX}first-failed-at`,
  lastFailedAt: `${PREFIX}last-failed-at`,
};

/** Longest error message kept in a header; brokers limit header sizes. */
const MAX_ERROR_MESSAGE = 2000;

/** Metadata as string headers, for brokers that carry it beside the message. */
export function deadLetterHeaders(
  metadata: DeadLetterMetadata,
): Record<string, string> {
  return {
    [FIELDS.originalDestination]: metadata.originalDestination,
    [FIELDS.consumerGroup]: metadata.consumerGroup,
    [FIELDS.attempts]: String(metadata.attempts),
    [FIELDS.errorName]: metadata.errorName,
    [FIELDS.errorMessage]: metadata.errorMessage.slice(0, MAX_ERROR_MESSAGE),
    [FIELDS.firstFailedAt]: metadata.firstFailedAt,
    [FIELDS.lastFailedAt]: metadata.lastFailedAt,
  };
}

/** Reads metadata back; undefined when the headers do not carry it. */
export function parseDeadLetterHeaders(
  headers: Record<string, string | undefined>,
): DeadLetterMetadata | undefined {
  const attempts = Number(headers[FIELDS.attempts]);
  const destination = headers[FIELDS.originalDestination];
  if (!destination || !Number.isFinite(attempts)) {
    return undefined;
  }
  return {
    originalDestination: destination,
    consumerGroup: headers[FIELDS.consumerGroup] ?? '',
    attempts,
    errorName: headers[FIELDS.errorName] ?? '',
    errorMessage: headers[FIELDS.errorMessage] ?? '',
    firstFailedAt: headers[FIELDS.firstFailedAt] ?? '',
    lastFailedAt: headers[FIELDS.lastFailedAt] ?? '',
  };
}

/** Removes dead-letter headers, so a redriven message starts clean. */
export function withoutDeadLetterHeaders(
  headers: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.startsWith(PREFIX)),
  );
}
