const EMPTY = 0;
const MAX_LOAD = 0.8;

/**
 * A set of positive integers below 2^53 in one Float64Array (open addressing, linear probing): 8-10
 * bytes a key instead of ~60 for a `Set<string>`, so remembering every CNIC of a 30-million-person
 * file stays in the hundreds of megabytes rather than gigabytes.
 */
export class NumberSet {
  private slots: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    this.slots = new Float64Array(2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity))));
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was already there. */
  add(key: number): boolean {
    if (!Number.isSafeInteger(key) || key <= 0)
      throw new RangeError(`NumberSet keys are positive integers: ${key}`);
    if ((this.count + 1) / this.slots.length > MAX_LOAD) this.grow();
    const inserted = insert(this.slots, key);
    if (inserted) this.count++;
    return inserted;
  }

  has(key: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = slotOf(key, mask); ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === key) return true;
      if (slot === EMPTY) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const key of old) if (key !== EMPTY) insert(this.slots, key);
  }
}

function insert(slots: Float64Array, key: number): boolean {
  const mask = slots.length - 1;
  for (let i = slotOf(key, mask); ; i = (i + 1) & mask) {
    const slot = slots[i];
    if (slot === key) return false;
    if (slot === EMPTY) {
      slots[i] = key;
      return true;
    }
  }
}

// Mixes both halves of the key so that keys differing only in high digits spread out.
function slotOf(key: number, mask: number): number {
  let h = Math.imul((key % 0x100000000) ^ Math.floor(key / 0x100000000), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}

/**
 * A 52-bit fingerprint of a string, for `NumberSet`. Among a million keys, the odds of any collision
 * are about 1 in 10,000; one would show as a false DUPLICATE_RECORD in the reject file, never silently.
 */
export function fingerprint(text: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff) + 1;
}
