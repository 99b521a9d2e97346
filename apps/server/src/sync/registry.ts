import type { Database } from '../db/client.ts'
import type { Logger } from '../lib/logger.ts'
import { loadLiveDocument, type LiveDocument } from './live-document.ts'
import type { DocumentInfo } from './persistence.ts'

/** After a failed flush, try to unload again this much later; the write itself retries sooner. */
const UNLOAD_RETRY_MS = 5_000

/**
 * The loaded documents of this process. Concurrent opens of one document share one load; a
 * document with no peers and no holders is unloaded once it is saved and projected.
 */
export class DocumentRegistry {
  private readonly loading = new Map<string, Promise<LiveDocument>>()

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  /** Documents being written around the registry; a load waits for the write to commit. */
  private readonly writes = new Map<string, Promise<unknown>>()

  /** Loads (or finds) a document and holds it loaded until `release`. */
  async acquire(info: DocumentInfo): Promise<LiveDocument> {
    for (;;) {
      const write = this.writes.get(info.name)
      if (write) {
        await write.catch(() => undefined)
        continue
      }
      let entry = this.loading.get(info.name)
      if (!entry) {
        entry = loadLiveDocument(info, this.database, this.logger.child({ document: info.name }))
        this.loading.set(info.name, entry)
        entry.catch(() => this.loading.delete(info.name))
      }
      const live = await entry
      // It may have been unloaded while we waited for the load to resolve; load it afresh.
      if (live.destroyed) continue
      live.holds += 1
      return live
    }
  }

  /** Drops a hold taken by `acquire`; the document unloads once nobody needs it. */
  release(live: LiveDocument): void {
    live.holds -= 1
    this.unloadWhenIdle(live)
  }

  /** Unloads `live` if it has no peers and no holders, after saving and projecting it. */
  unloadWhenIdle(live: LiveDocument): void {
    if (live.peers.size > 0 || live.holds > 0 || live.destroyed) return
    live
      .flush()
      .then(() => {
        // Someone may have joined while we were flushing, or edited again.
        if (live.peers.size > 0 || live.holds > 0 || live.destroyed) return
        if (!live.settled) return this.unloadWhenIdle(live)
        this.loading.delete(live.info.name)
        live.destroy()
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error, document: live.info.name }, 'unload failed')
        setTimeout(() => this.unloadWhenIdle(live), UNLOAD_RETRY_MS).unref()
      })
  }

  /**
   * Runs `write` with the documents in `names` that are not loaded (nor loading), keeping them
   * from loading until it settles, so that no load reads the store halfway through it. The
   * caller edits the others live.
   */
  async writeUnloaded<T>(names: string[], write: (unloaded: string[]) => Promise<T>): Promise<T> {
    const unloaded = names.filter((name) => !this.loading.has(name) && !this.writes.has(name))
    const done = write(unloaded)
    for (const name of unloaded) this.writes.set(name, done)
    try {
      return await done
    } finally {
      for (const name of unloaded) this.writes.delete(name)
    }
  }

  /** Names of the documents loaded or loading now. */
  names(): string[] {
    return [...this.loading.keys()]
  }

  /** The documents loaded now (or loading), for `flush` and shutdown. */
  async loaded(name?: string): Promise<LiveDocument[]> {
    const entries = name
      ? [this.loading.get(name)].filter((e) => e !== undefined)
      : [...this.loading.values()]
    const settled = await Promise.allSettled(entries)
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  }

  /** Flushes every document and unloads it; for shutdown. */
  async closeAll(): Promise<void> {
    const all = await this.loaded()
    await Promise.all(all.map((live) => live.flush()))
    for (const live of all) {
      this.loading.delete(live.info.name)
      live.destroy()
    }
  }
}
