import { runConformanceSuite } from '@mq/testing';
import { fileURLToPath } from 'node:url';

runConformanceSuite({
  kitModule: fileURLToPath(
    new URL('./redis-streams.test-kit.ts', import.meta.url),
  ),
});
