import { quoteIdentifier } from './identifier.js';
import { POSTGRES_DEFAULTS } from '../postgres.constants.js';

/** Where the queue lives: checked names, ready to put into SQL. */
export interface QueueSchemaOptions {
  /** Schema of the queue tables. @default 'mq' */
  schema?: string;
  /**
   * Channel for LISTEN/NOTIFY wake-ups.
   * @default `<schema>_messages`
   */
  listenChannel?: string;
}

/** Validated, quoted names of one queue's tables and its channel. */
export class QueueSchema {
  readonly name: string;
  /** Channel as pg_notify takes it (a value, not an identifier). */
  readonly channel: string;
  readonly quotedChannel: string;
  readonly quoted: string;
  readonly messages: string;
  readonly subscriptions: string;
  readonly deliveries: string;
  readonly migrations: string;

  constructor(options: QueueSchemaOptions = {}) {
    this.name = options.schema ?? POSTGRES_DEFAULTS.schema;
    this.quoted = quoteIdentifier('schema', this.name);
    this.channel = options.listenChannel ?? `${this.name}_messages`;
    this.quotedChannel = quoteIdentifier('listenChannel', this.channel);
    this.messages = `${this.quoted}.messages`;
    this.subscriptions = `${this.quoted}.subscriptions`;
    this.deliveries = `${this.quoted}.deliveries`;
    this.migrations = `${this.quoted}.schema_migrations`;
  }
}
