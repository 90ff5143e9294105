import { NonRetriableError } from './non-retriable.error.js';

/** The bytes on the wire are not a message we can read (bad JSON, missing id). */
export class MalformedMessageError extends NonRetriableError {}
