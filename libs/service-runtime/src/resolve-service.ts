import { namespaced, type RuntimeConfig } from './config/runtime-config.js';
import type {
  ResolvedService,
  ServiceDefinition,
} from './service-definition.js';

/** Applies the namespace and the port to a service definition. */
export function resolveService(
  config: RuntimeConfig,
  definition: ServiceDefinition,
): ResolvedService {
  return {
    name: definition.name,
    schema: namespaced(config.namespace, definition.schema),
    // Every transport already scopes groups by the namespace (schema,
    // prefix), so the group keeps the plain service name.
    consumerGroup: definition.name,
    port: config.port ?? definition.defaultPort,
    consumers: definition.consumers ?? {},
  };
}
