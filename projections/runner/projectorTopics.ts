import { TOPIC, topicCatalog, type TopicSpec } from '../../services/shared/kafka/index.js';
import type { ProjectedTopic } from '../events/index.js';

/** Consumer group of the read-model projector (its Kafka offsets are for lag tooling only). */
export const PROJECTOR_GROUP = 'wa-projector';

/** The topics the projector reads, by role; tests pass fresh ones. */
export type ProjectorTopics = Record<ProjectedTopic, TopicSpec>;

/** The architecture's fixed topics for a partition count. */
export function projectorTopics(partitions: number): ProjectorTopics {
  const catalog = new Map(topicCatalog(partitions).map((spec) => [spec.name, spec]));
  return {
    conversation: catalog.get(TOPIC.conversation)!,
    account: catalog.get(TOPIC.account)!,
    commandResults: catalog.get(TOPIC.commandResults)!,
    webhookAttempts: catalog.get(TOPIC.webhookAttempts)!,
  };
}
