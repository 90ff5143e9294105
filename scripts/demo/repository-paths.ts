import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: two levels above this folder. */
export const REPOSITORY_ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** The three services of the saga, by their Nest project names. */
export const SERVICE_NAMES = [
  'order-service',
  'payment-service',
  'notification-service',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The bundle `npm run build` writes for one service. */
export function serviceEntry(name: ServiceName): string {
  return join(REPOSITORY_ROOT, 'dist', 'apps', name, 'main.js');
}
