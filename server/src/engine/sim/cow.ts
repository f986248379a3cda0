// Copy-on-write maps and sets for path states. A state is cloned at every fork,
// and most of its maps are never written on either side afterwards (the locks
// held, the assumptions made, the values handed off), so a clone shares them
// and the first write on either side copies.

export class CowMap<K, V> implements Iterable<[K, V]> {
  private inner: Map<K, V>;
  private owned: boolean;

  constructor(entries?: Iterable<readonly [K, V]> | null) {
    this.inner = new Map(entries ?? undefined);
    this.owned = true;
  }

  /** A map with the same entries; neither side sees the other's later writes. */
  fork(): CowMap<K, V> {
    const other = Object.create(CowMap.prototype) as CowMap<K, V>;
    other.inner = this.inner;
    other.owned = false;
    this.owned = false;
    return other;
  }

  private writable(): Map<K, V> {
    if (!this.owned) {
      this.inner = new Map(this.inner);
      this.owned = true;
    }
    return this.inner;
  }

  get size(): number {
    return this.inner.size;
  }
  get(key: K): V | undefined {
    return this.inner.get(key);
  }
  has(key: K): boolean {
    return this.inner.has(key);
  }
  set(key: K, value: V): this {
    this.writable().set(key, value);
    return this;
  }
  delete(key: K): boolean {
    if (!this.inner.has(key)) return false;
    return this.writable().delete(key);
  }
  clear(): void {
    if (this.inner.size === 0) return;
    this.inner = new Map();
    this.owned = true;
  }
  keys(): IterableIterator<K> {
    return this.inner.keys();
  }
  values(): IterableIterator<V> {
    return this.inner.values();
  }
  entries(): IterableIterator<[K, V]> {
    return this.inner.entries();
  }
  forEach(fn: (value: V, key: K) => void): void {
    this.inner.forEach((v, k) => fn(v, k));
  }
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.inner.entries();
  }
}

export class CowSet<T> implements Iterable<T> {
  private inner: Set<T>;
  private owned: boolean;

  constructor(values?: Iterable<T> | null) {
    this.inner = new Set(values ?? undefined);
    this.owned = true;
  }

  /** A set with the same members; neither side sees the other's later writes. */
  fork(): CowSet<T> {
    const other = Object.create(CowSet.prototype) as CowSet<T>;
    other.inner = this.inner;
    other.owned = false;
    this.owned = false;
    return other;
  }

  private writable(): Set<T> {
    if (!this.owned) {
      this.inner = new Set(this.inner);
      this.owned = true;
    }
    return this.inner;
  }

  get size(): number {
    return this.inner.size;
  }
  has(value: T): boolean {
    return this.inner.has(value);
  }
  add(value: T): this {
    if (!this.inner.has(value)) this.writable().add(value);
    return this;
  }
  delete(value: T): boolean {
    if (!this.inner.has(value)) return false;
    return this.writable().delete(value);
  }
  clear(): void {
    if (this.inner.size === 0) return;
    this.inner = new Set();
    this.owned = true;
  }
  values(): IterableIterator<T> {
    return this.inner.values();
  }
  keys(): IterableIterator<T> {
    return this.inner.values();
  }
  forEach(fn: (value: T) => void): void {
    this.inner.forEach((v) => fn(v));
  }
  [Symbol.iterator](): IterableIterator<T> {
    return this.inner.values();
  }
}
