export { healthReport, type HealthSources } from './kafkaHealth.js';
