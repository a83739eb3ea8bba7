import { TOPIC, topicCatalog, type TopicSpec } from '../../shared/kafka/index.js';

/** `ce_source` of every record a connector writes. */
export const CONNECTOR_SOURCE = 'wa-backbone/connector';

/** The topics a connector reads and writes; tests pass fresh ones. */
export interface ConnectorTopics {
  commands: TopicSpec;
  commandResults: TopicSpec;
  conversation: TopicSpec;
  account: TopicSpec;
  presence: TopicSpec;
  sessionState: TopicSpec;
  /** Where commands and session-state entries that cannot be read go, with their bytes. */
  deadLetters: TopicSpec;
}

/** The architecture's fixed topics for a partition count. */
export function connectorTopics(partitions: number): ConnectorTopics {
  const catalog = new Map(topicCatalog(partitions).map((spec) => [spec.name, spec]));
  const spec = (name: string): TopicSpec => catalog.get(name)!;
  return {
    commands: spec(TOPIC.commands),
    commandResults: spec(TOPIC.commandResults),
    conversation: spec(TOPIC.conversation),
    account: spec(TOPIC.account),
    presence: spec(TOPIC.presence),
    sessionState: spec(TOPIC.sessionState),
    deadLetters: spec(TOPIC.deadLetters),
  };
}
