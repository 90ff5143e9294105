import { InboxMessage } from './inbox-message.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';

/** Add to the DataSource's `entities`. */
export const OUTBOX_ENTITIES = [OutboxMessage, InboxMessage];
