export {
  startServiceHarness,
  type DeliveryRow,
  type ServiceHarness,
} from './service.harness.js';
