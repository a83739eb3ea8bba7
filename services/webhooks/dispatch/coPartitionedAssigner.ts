import kafkajs from 'kafkajs';
import type { Assigner, GroupMember, GroupMemberAssignment, PartitionAssigner } from 'kafkajs';

const { AssignerProtocol } = kafkajs;

/** topic → partitions, per member id. */
export type Assignment = Map<string, Record<string, number[]>>;

/**
 * Partition p of every subscribed topic to the same member: members sorted by id take
 * partitions p = 0, 1, 2... in turn. The webhooks role needs it: the deliveries of a chat wait
 * for one another across the event topic and the retry topics, and only the owner of all of
 * partition p can see them all.
 */
export function coPartitionedAssignment(memberIds: readonly string[], partitionsOf: ReadonlyMap<string, readonly number[]>): Assignment {
  const members = [...memberIds].sort();
  const assignment: Assignment = new Map(members.map((id) => [id, {}]));
  if (members.length === 0) return assignment;
  for (const [topic, partitions] of partitionsOf) {
    for (const partition of partitions) {
      const owner = assignment.get(members[partition % members.length]!)!;
      (owner[topic] ??= []).push(partition);
    }
  }
  for (const topics of assignment.values()) for (const list of Object.values(topics)) list.sort((a, b) => a - b);
  return assignment;
}

/** The kafkajs assigner of `coPartitionedAssignment`. */
export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }): Assigner => ({
  name: 'WaCoPartitionedAssigner',
  version: 0,
  async assign({ members, topics }: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]> {
    const partitionsOf = new Map(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId)]));
    const assignment = coPartitionedAssignment(
      members.map((m) => m.memberId),
      partitionsOf,
    );
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }: { topics: string[] }) {
    return { name: 'WaCoPartitionedAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
