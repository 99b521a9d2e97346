/**
 * Calls `fn` at most once per `intervalMs`, always delivering the latest arguments last, so a
 * burst of pointer moves ends with the final position rather than a stale one.
 */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  intervalMs: number,
  now: () => number = () => Date.now(),
): { call: (...args: A) => void; flush: () => void; cancel: () => void } {
  let last = -Infinity
  let pending: A | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  const run = () => {
    timer = null
    if (!pending) return
    const args = pending
    pending = null
    last = now()
    fn(...args)
  }

  return {
    call(...args: A) {
      pending = args
      const wait = last + intervalMs - now()
      if (wait <= 0) run()
      else if (!timer) timer = setTimeout(run, wait)
    },
    flush() {
      if (timer) clearTimeout(timer)
      run()
    },
    cancel() {
      if (timer) clearTimeout(timer)
      timer = null
      pending = null
    },
  }
}
