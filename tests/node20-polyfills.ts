/**
 * vitest 5 reports failures with Map.groupBy / Object.groupBy (Node 21+). These machines
 * run Node 20: without this a failing test crashes the reporter instead of printing.
 */
type GroupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K) => Map<K, T[]>;
const mapCtor = Map as unknown as { groupBy?: GroupBy };
if (!mapCtor.groupBy) {
  mapCtor.groupBy = (items, key) => {
    const out = new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      out.set(k, [...(out.get(k) ?? []), item]);
    }
    return out;
  };
}
const objectCtor = Object as unknown as { groupBy?: unknown };
if (!objectCtor.groupBy) {
  objectCtor.groupBy = <T>(items: Iterable<T>, key: (item: T, index: number) => PropertyKey) => {
    const out: Record<PropertyKey, T[]> = Object.create(null);
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      out[k] = [...(out[k] ?? []), item];
    }
    return out;
  };
}

export {};
