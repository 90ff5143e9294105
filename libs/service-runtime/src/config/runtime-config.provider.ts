import { registerAs, type ConfigType } from '@nestjs/config';
import { readRuntimeConfig, type RuntimeConfig } from './runtime-config.js';

/**
 * The runtime configuration as a Nest config namespace. Inject it with
 * `@Inject(runtimeConfig.KEY) config: RuntimeConfigType`; tests replace it
 * with `overrideProvider(runtimeConfig.KEY).useValue(...)`.
 */
export const runtimeConfig = registerAs('runtime', (): RuntimeConfig =>
  readRuntimeConfig(process.env),
);

export type RuntimeConfigType = ConfigType<typeof runtimeConfig>;
