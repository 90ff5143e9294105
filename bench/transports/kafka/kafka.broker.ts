import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type {
  BrokerEndpoints,
  WorkloadSpec,
} from '../../model/workload.types.js';
import type { BrokerModule } from '../adapter.types.js';
import { kafkaArtifacts } from './kafka-artifacts.js';
import { producerPerformanceCeiling } from './producer-performance.ceiling.js';

/** Kafka as the parent sees it: reachability, cleanup, ceiling. */
export const kafkaBroker: BrokerModule = {
  transport: 'kafka',

  async probe(endpoints: BrokerEndpoints): Promise<string> {
    const admin = adminOf(endpoints, 'probe', 3000);
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      const version = kafkaArtifacts()?.version;
      return (
        `Kafka ${version ? `${version} ` : ''}(${cluster.brokers.length} ` +
        `broker) at ${endpoints.kafkaBrokers.join(',')}`
      );
    } finally {
      await admin.disconnect();
    }
  },

  async cleanup(spec: WorkloadSpec): Promise<void> {
    const admin = adminOf(spec.endpoints, 'cleanup', 10_000);
    await admin.connect();
    try {
      const mine = (name: string) => name.startsWith(spec.namespace);
      const topics = (await admin.listTopics()).filter(mine);
      if (topics.length > 0) {
        await admin.deleteTopics({ topics });
      }
      const { groups } = await admin.listGroups();
      await deleteGroups(
        admin,
        groups.map((group) => group.groupId).filter(mine),
      );
    } finally {
      await admin.disconnect();
    }
  },

  ceiling: producerPerformanceCeiling,
};

function adminOf(
  endpoints: BrokerEndpoints,
  role: string,
  connectionTimeout: number,
): Admin {
  return new Kafka({
    clientId: `bench-${role}`,
    brokers: [...endpoints.kafkaBrokers],
    connectionTimeout,
    retry: { retries: 2 },
    logLevel: logLevel.NOTHING,
  }).admin();
}

/**
 * A group is deletable once its members left; a member that just closed
 * can take a moment, so a few tries are made before giving up loudly.
 */
async function deleteGroups(admin: Admin, groupIds: string[]): Promise<void> {
  let remaining = groupIds;
  for (let attempt = 1; remaining.length > 0; attempt += 1) {
    try {
      await admin.deleteGroups(remaining);
      return;
    } catch (error) {
      if (attempt >= 5) {
        throw new Error(
          `could not delete consumer groups ${remaining.join(', ')}`,
          { cause: error },
        );
      }
      const results = (
        error as { groups?: { groupId: string; error?: { type?: string } }[] }
      ).groups;
      remaining = results
        ? results
            .filter(
              (result) =>
                result.error && result.error.type !== 'GROUP_ID_NOT_FOUND',
            )
            .map((result) => result.groupId)
        : remaining;
      await sleep(500);
    }
  }
}
