/**
 * Counts failed logins per key (email and client address) in memory. After `maxFailures` in
 * `windowMs` the key is refused until the window passes; a success clears it. It lives in one
 * process, so with several processes an attacker gets `maxFailures` per process: enough to stop
 * guessing, and it needs no shared store.
 */
export class LoginRateLimiter {
  readonly #failures = new Map<string, { count: number; since: number }>()
  readonly #maxFailures: number
  readonly #windowMs: number

  constructor(options: { maxFailures?: number; windowMs?: number } = {}) {
    // Ten tries per quarter hour lets a person mistype a few times and stops online guessing.
    this.#maxFailures = options.maxFailures ?? 10
    this.#windowMs = options.windowMs ?? 15 * 60 * 1000
  }

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const entry = this.#failures.get(key)
    if (!entry) return 0
    if (now - entry.since >= this.#windowMs) {
      this.#failures.delete(key)
      return 0
    }
    return entry.count >= this.#maxFailures ? entry.since + this.#windowMs - now : 0
  }

  recordFailure(key: string, now = Date.now()): void {
    const entry = this.#failures.get(key)
    if (!entry || now - entry.since >= this.#windowMs) {
      this.#failures.set(key, { count: 1, since: now })
    } else {
      entry.count += 1
    }
    // Keeps memory bounded under a flood of distinct keys: old entries go first.
    if (this.#failures.size > 10_000) {
      const oldest = this.#failures.keys().next().value
      if (oldest !== undefined) this.#failures.delete(oldest)
    }
  }

  recordSuccess(key: string): void {
    this.#failures.delete(key)
  }
}
