import { getRegionsMap, readRegion, type Region } from '@concord/shared'
import * as Y from 'yjs'

/** Ids whose region was added, changed or removed by one document transaction. */
export type RegionChange = { changed: Set<string>; origin: unknown }

/**
 * The regions of a document as plain objects, kept up to date incrementally: a transaction
 * re-reads only the regions it touched, so a remote move of one box among 10,000 costs one
 * read. Regions that do not follow the schema are left out (and so not drawn) rather than
 * breaking the scene.
 */
export class RegionStore {
  readonly regions = new Map<string, Region>()
  private readonly listeners = new Set<(change: RegionChange) => void>()
  private readonly map: Y.Map<Y.Map<unknown>>

  constructor(private readonly doc: Y.Doc) {
    this.map = getRegionsMap(doc)
    this.map.forEach((value, id) => this.refresh(id))
    this.map.observeDeep(this.onEvents)
  }

  /** Ids in a stable order (the document's id order), for lists and Tab cycling. */
  sortedIds(): string[] {
    return [...this.regions.keys()].sort()
  }

  subscribe(listener: (change: RegionChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.map.unobserveDeep(this.onEvents)
    this.listeners.clear()
  }

  private readonly onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    const changed = new Set<string>()
    for (const event of events) {
      if (event.target === this.map) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) changed.add(key)
      } else {
        const id = event.path[0]
        if (typeof id === 'string') changed.add(id)
      }
    }
    for (const id of changed) this.refresh(id)
    if (changed.size === 0) return
    const change = { changed, origin: tr.origin }
    for (const listener of this.listeners) listener(change)
  }

  private refresh(id: string): void {
    const value = this.map.get(id)
    const region = value instanceof Y.Map ? readRegion(id, value) : null
    if (region) this.regions.set(id, region)
    else this.regions.delete(id)
  }
}
