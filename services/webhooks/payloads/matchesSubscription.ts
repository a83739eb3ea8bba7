/**
 * True when a subscription's `eventTypes` asks for an event type: an empty list asks for all,
 * a name for exactly that type, and a name ending in `.*` (`message.*`) for every type under
 * that prefix (`message.received`, `message.status`...; not `message` itself).
 */
export function matchesSubscription(eventType: string, eventTypes: readonly string[]): boolean {
  if (eventTypes.length === 0) return true;
  return eventTypes.some((wanted) => (wanted.endsWith('.*') ? eventType.startsWith(wanted.slice(0, -1)) : eventType === wanted));
}
