import type { Type } from 'avsc';

/**
 * Why a reader schema cannot read every record written with a writer schema, following the
 * "Schema Resolution" rules of the Avro specification; empty when it can.
 *
 * Checked by hand rather than by asking avsc alone: an avsc resolver that builds is not a
 * promise (a writer union branch is only tried when a record uses it), and its errors do not
 * say which field is at fault. avsc is asked too, as a second opinion, because it is the
 * library that will actually decode.
 */
export function resolutionProblems(reader: Type, writer: Type): string[] {
  const problems: string[] = [];
  const pairsSeen = new Set<string>();

  const check = (r: Type, w: Type, path: string): void => {
    if (isUnion(w)) {
      for (const branch of branches(w)) {
        if (isUnion(r)) {
          const match = matchingBranch(branches(r), branch);
          if (match === undefined) {
            problems.push(
              `${path}: the writer's union branch ${describe(branch)} has no matching branch in the reader's union ${describe(r)}${renameHint(branches(r), branch)}`,
            );
          } else {
            check(match, branch, path);
          }
        } else {
          check(r, branch, `${path} (writer's union branch ${describe(branch)})`);
        }
      }
      return;
    }
    if (isUnion(r)) {
      const match = matchingBranch(branches(r), w);
      if (match === undefined) {
        problems.push(`${path}: type changed from ${describe(w)} to ${describe(r)}, which has no branch for it${renameHint(branches(r), w)}`);
      }
      else check(match, w, path);
      return;
    }

    if (r.typeName !== w.typeName) {
      if (!promotes(w.typeName, r.typeName)) problems.push(`${path}: type changed from ${describe(w)} to ${describe(r)}`);
      return;
    }
    switch (r.typeName) {
      case 'record': {
        if (!sameName(r, w, path)) return;
        const key = `${r.name}<-${w.name}`;
        if (pairsSeen.has(key)) return;
        pairsSeen.add(key);
        const writerFields = new Map(fields(w).map((f) => [f.name, f]));
        for (const field of fields(r)) {
          const names = [field.name, ...(field.aliases ?? [])];
          const written = names.map((n) => writerFields.get(n)).find((f) => f !== undefined);
          const fieldPath = `${path}.${field.name}`;
          if (written) check(field.type, written.type, fieldPath);
          else if (field.defaultValue() === undefined) problems.push(`${fieldPath}: field added without a default`);
        }
        return;
      }
      case 'enum': {
        if (!sameName(r, w, path)) return;
        const readerSymbols = new Set(symbols(r));
        const removed = symbols(w).filter((s) => !readerSymbols.has(s));
        if (removed.length > 0 && (r as unknown as { default?: string }).default === undefined) {
          problems.push(`${path}: enum ${r.name} symbol(s) ${removed.join(', ')} removed, and the enum has no default symbol`);
        }
        return;
      }
      case 'fixed': {
        if (!sameName(r, w, path)) return;
        const [rs, ws] = [size(r), size(w)];
        if (rs !== ws) problems.push(`${path}: fixed ${r.name} size changed from ${ws} to ${rs}`);
        return;
      }
      case 'array':
        check(inner(r, 'itemsType'), inner(w, 'itemsType'), `${path}[]`);
        return;
      case 'map':
        check(inner(r, 'valuesType'), inner(w, 'valuesType'), `${path}{}`);
        return;
      default:
        return; // same primitive
    }
  };

  const sameName = (r: Type, w: Type, path: string): boolean => {
    if (r.name === w.name || (r.aliases ?? []).includes(w.name!)) return true;
    problems.push(`${path}: ${r.typeName} renamed from ${w.name} to ${r.name} (list the old name in "aliases")`);
    return false;
  };

  check(reader, writer, reader.name ?? reader.typeName);
  if (problems.length === 0) {
    try {
      reader.createResolver(writer);
    } catch (error) {
      problems.push(`avsc cannot resolve it: ${(error as Error).message}`);
    }
  }
  return problems;
}

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function promotes(writer: string, reader: string): boolean {
  return PROMOTIONS[writer]?.includes(reader) ?? false;
}

// The spec picks the first reader branch that matches; an exact match (same kind and name)
// is preferred over a promotion, as the Java implementation does.
function matchingBranch(readerBranches: readonly Type[], writer: Type): Type | undefined {
  const named = (t: Type): boolean => t.name !== undefined;
  return (
    readerBranches.find(
      (r) => r.typeName === writer.typeName && (!named(r) || r.name === writer.name || (r.aliases ?? []).includes(writer.name!)),
    ) ?? readerBranches.find((r) => promotes(writer.typeName, r.typeName))
  );
}

function renameHint(readerBranches: readonly Type[], writer: Type): string {
  const renamed = writer.name !== undefined && readerBranches.some((r) => r.typeName === writer.typeName);
  return renamed ? ` (if it was renamed, list the old name ${writer.name} in "aliases")` : '';
}

function isUnion(type: Type): boolean {
  return type.typeName.startsWith('union');
}

function branches(type: Type): readonly Type[] {
  return (type as unknown as { types: readonly Type[] }).types;
}

interface FieldLike {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: Type;
  defaultValue(): unknown;
}

function fields(type: Type): readonly FieldLike[] {
  return (type as unknown as { fields: readonly FieldLike[] }).fields;
}

function symbols(type: Type): readonly string[] {
  return (type as unknown as { symbols: readonly string[] }).symbols;
}

function size(type: Type): number {
  return (type as unknown as { size: number }).size;
}

function inner(type: Type, key: 'itemsType' | 'valuesType'): Type {
  return (type as unknown as Record<typeof key, Type>)[key];
}

function describe(type: Type): string {
  if (isUnion(type)) return `[${branches(type).map(describe).join(', ')}]`;
  if (type.typeName === 'array') return `array<${describe(inner(type, 'itemsType'))}>`;
  if (type.typeName === 'map') return `map<${describe(inner(type, 'valuesType'))}>`;
  return type.name ? `${type.typeName} ${type.name}` : type.typeName;
}
