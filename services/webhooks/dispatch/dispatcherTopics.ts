import { EVENT_TOPICS, TOPIC, WEBHOOK_RETRY_TIERS, topicCatalog, webhookRetryTopic, type TopicSpec } from '../../shared/kafka/index.js';
import type { DispatcherTopics } from './Dispatcher.js';

/** The dispatcher's topics as the catalog defines them for `partitions` partitions. */
export function dispatcherTopics(partitions: number): DispatcherTopics {
  const catalog = new Map(topicCatalog(partitions).map((spec) => [spec.name, spec]));
  const spec = (name: string): TopicSpec => {
    const found = catalog.get(name);
    if (!found) throw new Error(`topic ${name} is not in the catalog`);
    return found;
  };
  return {
    events: EVENT_TOPICS.map(spec),
    retries: WEBHOOK_RETRY_TIERS.map((tier) => spec(webhookRetryTopic(tier.label))),
    dlq: spec(TOPIC.webhooksDlq),
    attempts: spec(TOPIC.webhookAttempts),
    deadLetters: spec(TOPIC.deadLetters),
  };
}
