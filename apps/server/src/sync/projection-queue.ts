import type { Logger } from '../lib/logger.ts'

/**
 * Projection work that runs after the writes it follows have committed, one task at a time on
 * this process. A bulk write (an import) is durable once its log entries commit; its regions'
 * rows follow here, so the import answers without waiting for thousands of row inserts. Readers
 * of the projection (exports, region counts) wait for `idle`. A task that fails leaves its
 * documents counted as pending in the database, to be projected again on the next start.
 */
export class ProjectionQueue {
  private tail: Promise<void> = Promise.resolve()
  private queued = 0

  constructor(private readonly logger: Logger) {}

  /**
   * Runs `task` after every task queued before it. Each waits for a turn of the event loop
   * first: PGlite runs queries on this thread, so without it a long queue would hold back the
   * answers, socket messages and saves waiting behind it.
   */
  run(task: () => Promise<void>): void {
    this.queued += 1
    this.tail = this.tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(task)
      .catch((error: unknown) => this.logger.error({ err: error }, 'background projection failed'))
      .finally(() => {
        this.queued -= 1
      })
  }

  /** Resolves once every task queued so far, and any they queued, has run. */
  async idle(): Promise<void> {
    while (this.queued > 0) await this.tail
  }
}
