import type { TransportName, VariantName } from '../model/workload.types.js';
import type { OursVariantModule, VariantModule } from './adapter.types.js';

type Loader<T> = () => Promise<T>;

interface TransportVariants {
  readonly raw: Loader<VariantModule>;
  readonly ours: Loader<OursVariantModule>;
  readonly nest: Loader<VariantModule> | { readonly absent: string };
}

/**
 * Every variant of every transport, loaded only when a child runs it, so
 * a process carries the driver it measures and nothing else, and a
 * transport library that is not ready fails only its own rows.
 */
const VARIANTS: Readonly<Record<TransportName, TransportVariants>> = {
  postgres: {
    raw: () => import('./postgres/raw-postgres.adapter.js'),
    ours: () => import('./postgres/ours-postgres.adapter.js'),
    nest: { absent: 'Nest has no built-in PostgreSQL transport' },
  },
  kafka: {
    raw: () => import('./kafka/raw-kafka.adapter.js'),
    ours: () => import('./kafka/ours-kafka.adapter.js'),
    nest: () => import('./kafka/nest-kafka.adapter.js'),
  },
  rabbitmq: {
    raw: () => import('./rabbitmq/raw-rabbitmq.adapter.js'),
    ours: () => import('./rabbitmq/ours-rabbitmq.adapter.js'),
    nest: () => import('./rabbitmq/nest-rabbitmq.adapter.js'),
  },
  redis: {
    raw: () => import('./redis/raw-redis.adapter.js'),
    ours: () => import('./redis/ours-redis.adapter.js'),
    nest: () => import('./redis/nest-redis.adapter.js'),
  },
};

/** Why a variant does not exist for a transport, or undefined. */
export function absentVariant(
  transport: TransportName,
  variant: VariantName,
): string | undefined {
  const entry = VARIANTS[transport][variant];
  return typeof entry === 'function' ? undefined : entry.absent;
}

export async function loadVariant(
  transport: TransportName,
  variant: VariantName,
): Promise<VariantModule> {
  const entry = VARIANTS[transport][variant];
  if (typeof entry !== 'function') {
    throw new Error(entry.absent);
  }
  return entry();
}

export function loadOurs(transport: TransportName): Promise<OursVariantModule> {
  return VARIANTS[transport].ours();
}
