import { AppError } from '../../lib/errors.ts'

/**
 * How a job watches and steers an import or export: progress by phase, and cancellation. The
 * synchronous routes run the same code with {@link NO_CONTROL}.
 */
export type RunControl = {
  /** Aborted when the job is cancelled; checked between steps, never mid-write. */
  signal: AbortSignal
  /** The current phase (`parse`, `match`, `write`; `query`, `convert`, `pack`) and its counts. */
  progress(phase: string, done: number, total: number): void
  /**
   * Called once, just before an import writes anything. From here on the import runs to its
   * end: a cancel request is refused rather than leaving the project half imported.
   */
  beginWrite(): void
}

/** The control of a synchronous request: never cancelled, progress unseen. */
export const NO_CONTROL: RunControl = {
  signal: new AbortController().signal,
  progress: () => undefined,
  beginWrite: () => undefined,
}

/** Throws when the job was cancelled; the runner records it as `cancelled`, not as a failure. */
export function checkCancelled(control: RunControl): void {
  if (control.signal.aborted) throw new CancelledError()
}

/** Thrown at a cancellation point once the job's signal is aborted. */
export class CancelledError extends AppError {
  constructor() {
    super('conflict', 'The job was cancelled')
    this.name = 'CancelledError'
  }
}
