import type { DeadLetter, DeadLetterStore } from '@mq/core';
import { eventually } from '../timing/eventually.js';
import { WAIT_MS } from './suite-defaults.js';

/** Resolves with the dead letter of `messageId` once the store has it. */
export function waitForDeadLetter(
  store: DeadLetterStore,
  messageId: string,
  timeoutMs = WAIT_MS,
): Promise<DeadLetter> {
  return eventually(
    async () => {
      const letters = await store.list({ limit: 100 });
      const found = letters.find((letter) => letter.messageId === messageId);
      if (!found) {
        throw new Error(
          `no dead letter for message ${messageId} ` +
            `(${letters.length} other dead letter(s))`,
        );
      }
      return found;
    },
    timeoutMs,
    100,
  );
}
