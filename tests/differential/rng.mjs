// A small seeded PRNG (sfc32) whose stream is a pure function of (seed, index), so any one
// generated request can be replayed on its own with `--seed S --index I`.

function mix32(x) {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Rng {
  /**
   * @param {number} seed a non-negative safe integer
   * @param {number} index a non-negative safe integer
   */
  constructor(seed, index) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    this.a = mix32(lo ^ 0x9e3779b9);
    this.b = mix32(hi ^ this.a ^ 0x7f4a7c15);
    this.c = mix32((index >>> 0) ^ this.b ^ 0x94d049bb);
    this.d = mix32((Math.floor(index / 2 ** 32) >>> 0) ^ this.c ^ 0x2545f491);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float() {
    return this.u32() / 2 ** 32;
  }

  /** An integer in [0, n). */
  int(n) {
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p) {
    return this.float() < p;
  }

  /** One element of an array (or one character of a string). */
  pick(items) {
    return items[this.int(items.length)];
  }

  /**
   * One key of `weights` ({ key: weight }), with probability proportional to its weight.
   * @template {string} K
   * @param {Record<K, number>} weights
   * @returns {K}
   */
  weighted(weights) {
    const entries = Object.entries(weights);
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.float() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return /** @type {K} */ (k);
    }
    return /** @type {K} */ (entries[entries.length - 1][0]);
  }
}
