export { chatOf, groupOf, produceScenario, projectorScenario, scenarioSize, scenarioSubscription, type ScenarioRecords } from './projectorScenario.js';
export { ProjectorHarness } from './ProjectorHarness.js';
export { projectorSuite, type StoreFactory } from './projectorSuite.js';
