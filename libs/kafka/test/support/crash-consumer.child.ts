/**
 * A consumer in its own process, for the crash test: it joins the group
 * of the test's namespace, applies the inbox-guarded effect for each
 * message, prints "ready" once it is a member, and is then SIGKILLed.
 * Run with `node --import tsx`.
 */
import type { MessageContext } from '@mq/core';
import { KafkaTestKit } from '../kafka.test-kit.js';
import { EffectsTable } from './effects-table.js';
import { listenRaw } from './raw-server.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`crash-consumer: ${name} is not set`);
  }
  return value;
};

const kit = new KafkaTestKit(env('KIT_NAMESPACE'));
const effects = EffectsTable.connect(
  env('DATABASE_URL'),
  env('EFFECTS_SCHEMA'),
);
const server = kit.createServer({
  consumerGroup: env('CONSUMER_GROUP'),
  concurrency: 4,
  handlerTimeoutMs: 10_000,
});
await listenRaw(server, {
  [env('PATTERN')]: (_payload: unknown, context: MessageContext) =>
    effects.apply(context.getEnvelope(), 'child', Number(env('HOLD_MS'))),
});
process.stdout.write('ready\n');
