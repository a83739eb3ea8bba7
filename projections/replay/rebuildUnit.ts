import { WaError } from '../../services/shared/index.js';
import { READ_MODELS } from '../readModels/index.js';
import type { ReadModelDefinition } from '../readModels/shared/index.js';

/** The names a single read model can be rebuilt by, in catalog order. */
export const READ_MODEL_NAMES: readonly string[] = READ_MODELS.map((model) => model.name);

/**
 * Read models whose evolve functions write each other's tables: the messages model creates a
 * message's chat and keeps its counters, the chats model marks a chat's messages read. Their
 * tables only make sense together, so they are rebuilt and swapped together.
 */
export const WRITTEN_TOGETHER: readonly (readonly string[])[] = [['messages', 'chats']];

/**
 * Read models whose evolve functions read another model's tables while applying an event (groups
 * and newsletters look up the account's own JIDs). A rebuild applies those models too, in the
 * new schema only, so each event sees the state the live projection saw; they are not swapped.
 */
export const READS_FROM: Readonly<Record<string, readonly string[]>> = { groups: ['accounts'], newsletters: ['accounts'] };

/** What rebuilding one read model takes. */
export interface RebuildUnit {
  /** The read model asked for. */
  model: string;
  /** The read models rebuilt and swapped in, in catalog order (the one asked for and those written together with it). */
  swapped: readonly ReadModelDefinition[];
  /** Every read model applied in the new schema, in catalog order: the swapped ones and those they read. */
  applied: readonly ReadModelDefinition[];
  /** The tables swapped in. */
  tables: readonly string[];
}

// Grows `names` until `next` adds nothing: the closure of a relation.
function closure(names: readonly string[], next: (name: string) => readonly string[]): Set<string> {
  const found = new Set(names);
  const queue = [...names];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const other of next(name)) {
      if (!found.has(other)) {
        found.add(other);
        queue.push(other);
      }
    }
  }
  return found;
}

const writtenWith = (name: string): readonly string[] => WRITTEN_TOGETHER.filter((group) => group.includes(name)).flat();

/** The rebuild unit of the read model `model`; an unknown name is an INVALID_ARGUMENT naming the known ones. */
export function rebuildUnitOf(model: string): RebuildUnit {
  if (!READ_MODEL_NAMES.includes(model)) {
    throw new WaError('INVALID_ARGUMENT', `unknown read model "${model}"; the read models are: ${READ_MODEL_NAMES.join(', ')}`, { field: 'model' });
  }
  const swapped = closure([model], writtenWith);
  const applied = closure([...swapped], (name) => [...writtenWith(name), ...(READS_FROM[name] ?? [])]);
  const inCatalogOrder = (names: Set<string>): ReadModelDefinition[] => READ_MODELS.filter((definition) => names.has(definition.name));
  const swappedModels = inCatalogOrder(swapped);
  return { model, swapped: swappedModels, applied: inCatalogOrder(applied), tables: swappedModels.flatMap((definition) => definition.tables) };
}
