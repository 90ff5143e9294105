import { Logger } from '@nestjs/common';
import type { Admin, ITopicConfig } from 'kafkajs';

/** Rounds of list-create-list before giving up, and the pause between them. */
const MAX_ROUNDS = 8;
const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 2000;

export interface TopicLayout {
  readonly partitions: number;
  readonly replicationFactor: number;
}

/**
 * Creates topics through the admin client before anything produces to them,
 * so they get the configured partition count rather than the broker's
 * auto-create default. Remembers what exists; safe to race with other
 * processes creating the same topics. Concurrent calls for the same new
 * topic share one round of admin requests (the first publishes of a busy
 * client would otherwise each list and create it).
 */
export class TopicProvisioner {
  private readonly logger = new Logger(TopicProvisioner.name);
  private readonly known = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly admin: Admin,
    private readonly layout: TopicLayout,
  ) {}

  /** Creates the missing ones of `topics`; `compacted` for marker topics. */
  async ensure(
    topics: readonly string[],
    options: { compacted?: boolean; partitions?: number } = {},
  ): Promise<void> {
    const waits: Promise<void>[] = [];
    const mine: string[] = [];
    for (const topic of topics) {
      if (this.known.has(topic)) {
        continue;
      }
      const pending = this.inFlight.get(topic);
      if (pending) {
        waits.push(pending);
      } else {
        mine.push(topic);
      }
    }
    if (mine.length > 0) {
      const provisioning = this.provision(mine, options).finally(() => {
        for (const topic of mine) {
          this.inFlight.delete(topic);
        }
      });
      for (const topic of mine) {
        this.inFlight.set(topic, provisioning);
      }
      waits.push(provisioning);
    }
    if (waits.length > 0) {
      await Promise.all(waits);
    }
  }

  private async provision(
    topics: readonly string[],
    options: { compacted?: boolean; partitions?: number },
  ): Promise<void> {
    let missing = [...topics];
    for (let round = 0; missing.length > 0 && round < MAX_ROUNDS; round += 1) {
      if (round > 0) {
        // Right after another process created the same topics, the broker's
        // metadata may not list them yet; back-to-back rounds would all see
        // them missing. Give the metadata cache time to catch up.
        await pause(Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (round - 1)));
      }
      const existing = new Set(await this.admin.listTopics());
      const absent = missing.filter((topic) => !existing.has(topic));
      if (absent.length > 0) {
        await this.create(absent, options, round);
      }
      const created = new Set(await this.admin.listTopics());
      for (const topic of missing.filter((t) => created.has(t))) {
        this.known.add(topic);
      }
      missing = missing.filter((topic) => !this.known.has(topic));
    }
    if (missing.length > 0) {
      throw new Error(`could not create topics ${missing.join(', ')}`);
    }
  }

  private async create(
    topics: string[],
    options: { compacted?: boolean; partitions?: number },
    round: number,
  ): Promise<void> {
    const configs: ITopicConfig[] = topics.map((topic) => ({
      topic,
      numPartitions: options.partitions ?? this.layout.partitions,
      replicationFactor: this.layout.replicationFactor,
      configEntries: options.compacted
        ? [{ name: 'cleanup.policy', value: 'compact' }]
        : undefined,
    }));
    try {
      await this.admin.createTopics({ topics: configs, waitForLeaders: true });
      this.logger.log(`created topics ${topics.join(', ')}`);
    } catch (error) {
      // Another process may have created some of them at the same moment;
      // the next round lists again and creates only what is still missing.
      if (round >= MAX_ROUNDS - 1) {
        throw error;
      }
      this.logger.warn(
        `creating ${topics.join(', ')} failed, checking again: ` +
          (error as Error).message,
      );
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
