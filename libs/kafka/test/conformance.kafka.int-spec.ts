import { fileURLToPath } from 'node:url';
import { runConformanceSuite } from '@mq/testing';

runConformanceSuite({
  kitModule: fileURLToPath(new URL('./kafka.test-kit.ts', import.meta.url)),
});
