/** What a failure looks like once it has left the handler. */
export interface FailureInfo {
  readonly name: string;
  readonly message: string;
  readonly retriable: boolean;
}

/**
 * Reduces any thrown value to name, message and whether a retry may help.
 * Errors are retriable unless they say otherwise (`retriable: false`, as
 * NonRetriableError does); this also holds for errors rebuilt from plain
 * objects that lost their prototype.
 */
export function classifyError(error: unknown): FailureInfo {
  if (error instanceof Error) {
    const flagged = (error as { retriable?: unknown }).retriable;
    return {
      name: error.name || 'Error',
      message: error.message,
      retriable: flagged !== false,
    };
  }
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    return {
      name: typeof record.name === 'string' ? record.name : 'UnknownError',
      message:
        typeof record.message === 'string'
          ? record.message
          : safeStringify(error),
      retriable: record.retriable !== false,
    };
  }
  return { name: 'UnknownError', message: String(error), retriable: true };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A value JSON cannot print still deserves a readable reason.
    return String(value);
  }
}
