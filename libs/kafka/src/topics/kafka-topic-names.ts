import {
  TOPIC_NAME_MAX_LENGTH,
  TOPIC_NAME_PATTERN,
} from '../kafka.constants.js';

/**
 * The naming scheme of every topic and group this transport touches. Retry
 * and dead-letter topics belong to one consumer group, because a failure in
 * one group must not replay the message to another:
 *
 * - `<prefix><pattern>`: the event type's topic, shared by all groups
 * - `<topic>.<group>.retry.<n>`: delayed copies for attempt n + 1
 * - `<topic>.<group>.dlq`: dead letters of that group
 * - `<topic>.<group>.dlq.redriven`: markers of redriven dead letters
 */
export class KafkaTopicNames {
  constructor(readonly prefix: string) {
    if (prefix !== '') {
      checkName(prefix, 'prefix');
    }
  }

  /** The topic of an event type. */
  main(pattern: string): string {
    return checkName(`${this.prefix}${pattern}`, `topic for "${pattern}"`);
  }

  /** Where a message waits before delivery number `tier + 1`. */
  retry(mainTopic: string, group: string, tier: number): string {
    return checkName(`${mainTopic}.${checkGroup(group)}.retry.${tier}`);
  }

  deadLetter(mainTopic: string, group: string): string {
    return checkName(`${mainTopic}.${checkGroup(group)}.dlq`);
  }

  redriven(deadLetterTopic: string): string {
    return checkName(`${deadLetterTopic}.redriven`);
  }

  /** The Kafka consumer group id of a consumer group. */
  groupId(group: string): string {
    return `${this.prefix}${checkGroup(group)}`;
  }

  /** Whether `topic` is a dead-letter topic of `group` under this prefix. */
  isDeadLetterTopic(topic: string, group: string): boolean {
    return topic.startsWith(this.prefix) && topic.endsWith(`.${group}.dlq`);
  }

  /** Whether `topic` lies in this prefix's namespace. */
  owns(topic: string): boolean {
    return this.prefix !== '' && topic.startsWith(this.prefix);
  }
}

function checkGroup(group: string): string {
  return checkName(group, `consumer group "${group}"`);
}

function checkName(name: string, what = `topic "${name}"`): string {
  if (!TOPIC_NAME_PATTERN.test(name) || name === '.' || name === '..') {
    throw new TypeError(
      `${what} is not a valid Kafka name: use only [a-zA-Z0-9._-]`,
    );
  }
  if (name.length > TOPIC_NAME_MAX_LENGTH) {
    throw new TypeError(
      `${what} is ${name.length} characters long; Kafka allows ` +
        `${TOPIC_NAME_MAX_LENGTH}`,
    );
  }
  return name;
}
