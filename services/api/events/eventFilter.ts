/** Which events a stream wants: some accounts (null = all) and some types (null = all). */
export interface EventFilter {
  accountIds: ReadonlySet<string> | null;
  /** Exact types, e.g. `message.received`. */
  types: ReadonlySet<string> | null;
  /** Type prefixes from `message.*` patterns, kept with their dot (`message.`). */
  typePrefixes: readonly string[];
}

/** Builds a filter; a type ending in `.*` matches every type under that prefix, `*` matches all. */
export function eventFilter(accountIds: readonly string[] | null, types: readonly string[] | null): EventFilter {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let all = types === null || types.length === 0;
  for (const type of types ?? []) {
    if (type === '*') all = true;
    else if (type.endsWith('.*')) prefixes.push(type.slice(0, -1));
    else exact.add(type);
  }
  return {
    accountIds: accountIds === null || accountIds.length === 0 ? null : new Set(accountIds),
    types: all ? null : exact,
    typePrefixes: all ? [] : prefixes,
  };
}

/** Whether events of this account pass the filter. */
export function wantsAccount(filter: EventFilter, accountId: string | null): boolean {
  return filter.accountIds === null || (accountId !== null && filter.accountIds.has(accountId));
}

/** Whether events of this type pass the filter. */
export function wantsType(filter: EventFilter, type: string): boolean {
  if (filter.types === null) return true;
  return filter.types.has(type) || filter.typePrefixes.some((prefix) => type.startsWith(prefix));
}

/** A first judgement from the record alone (key = accountId, `ce_type` header), before decoding it. */
export function wantsRecord(filter: EventFilter, key: string | null, typeHeader: string | undefined): boolean {
  return wantsAccount(filter, key) && (typeHeader === undefined || wantsType(filter, typeHeader));
}

/** Whether a decoded event passes the filter. */
export function wantsEvent(filter: EventFilter, event: { accountId: string; type: string }): boolean {
  return wantsAccount(filter, event.accountId) && wantsType(filter, event.type);
}
