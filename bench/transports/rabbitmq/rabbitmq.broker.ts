import { RetryPolicy } from '@mq/core';
import { delayBucketsOf, RabbitMqTopology } from '@mq/rabbitmq';
import { connect, type ChannelModel } from 'amqplib';
import { findTool } from '../../ceilings/find-tool.js';
import type {
  BrokerEndpoints,
  WorkloadSpec,
} from '../../model/workload.types.js';
import type { CeilingResult } from '../../model/results.types.js';
import type { BrokerModule } from '../adapter.types.js';
import { withoutCredentials } from '../endpoints.js';
import { CONSUMER_GROUP } from './ours-rabbitmq.adapter.js';

/** AMQP reply code of a queue or exchange that does not exist. */
const NOT_FOUND = 404;

/** RabbitMQ as the parent sees it: reachability, cleanup, ceiling. */
export const rabbitmqBroker: BrokerModule = {
  transport: 'rabbitmq',

  async probe(endpoints: BrokerEndpoints): Promise<string> {
    const connection = await connect(endpoints.rabbitmqUrl, { timeout: 3000 });
    try {
      const version = connection.connection.serverProperties.version ?? '?';
      return `RabbitMQ ${version} at ${withoutCredentials(endpoints.rabbitmqUrl)}`;
    } finally {
      await connection.close();
    }
  },

  async cleanup(spec: WorkloadSpec): Promise<void> {
    const connection = await connect(spec.endpoints.rabbitmqUrl);
    try {
      const names = namesOf(spec);
      for (const queue of names.queues) {
        await deleteQuietly(connection, 'queue', queue);
      }
      for (const exchange of names.exchanges) {
        await deleteQuietly(connection, 'exchange', exchange);
      }
    } finally {
      await connection.close();
    }
  },

  async ceiling(): Promise<CeilingResult> {
    const tool = 'RabbitMQ PerfTest';
    return {
      transport: 'rabbitmq',
      tool,
      sizes: [],
      notMeasured: findTool('rabbitmq-perf-test')
        ? 'PerfTest is on PATH but not wired into the benchmark yet'
        : 'RabbitMQ PerfTest is not installed on this machine',
    };
  },
};

/**
 * Everything the three variants declare under a namespace: the raw queue
 * and exchange, Nest's queue, and this project's topology (work queue,
 * dead letters, one delay queue per bucket of the default retry policy).
 */
function namesOf(spec: WorkloadSpec): {
  queues: string[];
  exchanges: string[];
} {
  const topology = new RabbitMqTopology(spec.namespace);
  const buckets = delayBucketsOf(new RetryPolicy());
  return {
    queues: [
      `${spec.namespace}.raw`,
      `${spec.namespace}.nest`,
      topology.workQueue(CONSUMER_GROUP),
      topology.deadLetterQueue(CONSUMER_GROUP),
      ...buckets.map((ms) => topology.retryQueue(CONSUMER_GROUP, ms)),
    ],
    exchanges: [`${spec.namespace}.raw.events`, topology.eventsExchange],
  };
}

/** Deletes on a channel of its own: a 404 closes the channel. */
async function deleteQuietly(
  connection: ChannelModel,
  kind: 'queue' | 'exchange',
  name: string,
): Promise<void> {
  const channel = await connection.createChannel();
  let closed = false;
  channel.on('close', () => {
    closed = true;
  });
  // A missing name is the normal case here (each variant declares only
  // its own); the rejected call below reports it, so only note it.
  channel.on('error', () => {
    closed = true;
  });
  try {
    if (kind === 'queue') {
      await channel.deleteQueue(name);
    } else {
      await channel.deleteExchange(name);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code !== NOT_FOUND) {
      throw error;
    }
  } finally {
    if (!closed) {
      await channel.close();
    }
  }
}
