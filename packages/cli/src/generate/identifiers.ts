import type { SeededRandom } from './prng.js';

const ODD = ['1', '3', '5', '7', '9'];
const EVEN = ['0', '2', '4', '6', '8'];

/**
 * A keyed permutation of [0, low * high): a few Feistel-like rounds, each adding a hash of one part to
 * the other modulo its size. Every round is invertible, so distinct counters map to distinct numbers,
 * yet consecutive counters look unrelated (an affine map would print as an arithmetic series).
 */
class Permutation {
  constructor(
    private readonly low: number,
    private readonly high: number,
    private readonly keys: readonly number[],
  ) {}

  apply(n: number): number {
    let x = n % this.low;
    let y = Math.floor(n / this.low) % this.high;
    for (const [round, key] of this.keys.entries()) {
      if (round % 2 === 0) x = (x + mix(y, key)) % this.low;
      else y = (y + mix(x, key)) % this.high;
    }
    return y * this.low + x;
  }
}

function mix(value: number, key: number): number {
  let h = Math.imul(value ^ key, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Hands out CNICs and mobile numbers that look random but never repeat: each is a permutation of a
 * counter, so uniqueness across millions of people costs no memory.
 */
export class IdentifierSequence {
  private cnics = 0;
  private phones = 0;
  // 11 digits between the province digit and the gender digit; 5 * 10^8 numbers behind 300-349.
  private readonly cnicBodies: Permutation;
  private readonly phoneNumbers: Permutation;

  constructor(private readonly rng: SeededRandom) {
    const keys = () => [0, 1, 2, 3].map(() => rng.int(0, 0x7fffffff));
    this.cnicBodies = new Permutation(100_000, 1_000_000, keys());
    this.phoneNumbers = new Permutation(50_000, 10_000, keys());
  }

  /** 13 digits: province digit, 11 digits, then odd for a man and even for a woman. */
  nextCnic(provinceCode: number, gender: 'male' | 'female'): string {
    const body = this.cnicBodies.apply(this.cnics++);
    return `${provinceCode}${String(body).padStart(11, '0')}${this.rng.pick(gender === 'male' ? ODD : EVEN)}`;
  }

  /** A mobile in the local form people write it (`03xx` + 7 digits), operators 300-349. */
  nextPhone(): string {
    const n = this.phoneNumbers.apply(this.phones++);
    return `0${300 + Math.floor(n / 1e7)}${String(n % 1e7).padStart(7, '0')}`;
  }
}

/**
 * The numbers handed out most recently, from which a few SIMs are drawn again: a phone registered to
 * several CNICs (a shopkeeper's phone, a SIM sold on), which the reconciler must not trust blindly.
 */
export class SharedPhones {
  private readonly recent: string[] = [];

  constructor(
    private readonly rng: SeededRandom,
    private readonly ids: IdentifierSequence,
    private readonly shareRate: number,
  ) {}

  next(): string {
    if (this.recent.length > 0 && this.rng.chance(this.shareRate)) return this.rng.pick(this.recent);
    const phone = this.ids.nextPhone();
    if (this.recent.length < 64) this.recent.push(phone);
    else this.recent[this.rng.int(0, 63)] = phone;
    return phone;
  }
}
