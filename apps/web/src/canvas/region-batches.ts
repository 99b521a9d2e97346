import type { Region } from '@concord/shared'
import { Container, Graphics } from 'pixi.js'
import { rboxCorners } from '@concord/shared/geometry/index'
import { maskRuns } from './mask-runs.ts'

/** Colour for regions whose labelId is not in the project's schema (a foreign client, say). */
export const UNKNOWN_LABEL_COLOUR = '#9e9e9e'

/** Largest side of the cached region texture; 4096 is within every WebGL implementation's limit. */
const MAX_CACHE_PX = 4096

/**
 * Regions of one colour are spread over this many Graphics objects by a hash of their id, so
 * an edit redraws one sixteenth of that colour's shapes, not all of them, while the scene
 * still holds only a few dozen display objects for 10,000 regions.
 */
const BUCKETS_PER_COLOUR = 16

/**
 * Draws all regions into a handful of Graphics objects, one per (colour, bucket). Only buckets
 * touched since the last draw are rebuilt; panning and zooming never redraw anything because
 * strokes are pixel lines whose width does not depend on the zoom. Regions are outlined, not
 * filled: with thousands of them, fills double the GPU's work (measured in
 * bench/canvas-render.ts) and hide the image; the selection gets a fill in the overlay.
 */
export class RegionBatches {
  readonly container = new Container()
  private readonly buckets = new Map<
    string,
    { graphics: Graphics; ids: Set<string>; colour: string }
  >()
  private readonly bucketOf = new Map<string, string>()
  private readonly dirty = new Set<string>()
  private cacheResolution = 0

  constructor(private readonly pointRadius: () => number) {
    this.container.eventMode = 'none'
  }

  /** Places (or moves) a region in the bucket its colour selects; null removes it. */
  place(id: string, colour: string | null): void {
    const previous = this.bucketOf.get(id)
    const next = colour === null ? undefined : `${colour}:${hashId(id) % BUCKETS_PER_COLOUR}`
    if (previous) this.dirty.add(previous)
    if (previous && previous !== next) this.buckets.get(previous)?.ids.delete(id)
    if (!next || !colour) {
      this.bucketOf.delete(id)
      return
    }
    let bucket = this.buckets.get(next)
    if (!bucket) {
      bucket = { graphics: new Graphics(), ids: new Set(), colour }
      this.buckets.set(next, bucket)
      this.container.addChild(bucket.graphics)
    }
    bucket.ids.add(id)
    this.bucketOf.set(id, next)
    this.dirty.add(next)
  }

  /** Rebuilds the buckets that changed; returns how many were drawn. */
  flush(regions: ReadonlyMap<string, Region>, hidden: ReadonlySet<string>): number {
    let drawn = 0
    for (const key of this.dirty) {
      const bucket = this.buckets.get(key)
      if (!bucket) continue
      if (bucket.ids.size === 0) {
        bucket.graphics.destroy()
        this.buckets.delete(key)
        continue
      }
      drawBucket(bucket.graphics, bucket.ids, bucket.colour, regions, hidden, this.pointRadius())
      drawn++
    }
    if (this.dirty.size > 0 && this.cacheResolution > 0) this.container.updateCacheTexture()
    this.dirty.clear()
    return drawn
  }

  /**
   * Keeps the drawn regions as one texture at the current zoom, so a pan redraws one quad
   * instead of every outline (software GL spends ~100 ms a frame on 10,000 of them). The
   * cache is dropped when the texture would pass MAX_CACHE_PX, as at deep zoom on a big image.
   */
  setCacheScale(scale: number, extent: number): void {
    const resolution = scale * (globalThis.devicePixelRatio || 1)
    const wanted = extent * resolution <= MAX_CACHE_PX ? resolution : 0
    if (wanted === this.cacheResolution) return
    this.cacheResolution = wanted
    this.container.cacheAsTexture(wanted > 0 ? { resolution: wanted, antialias: false } : false)
  }

  /** Shows or hides every region at once (to look at the bare image). */
  setVisible(visible: boolean): void {
    this.container.visible = visible
  }

  /** Marks every bucket for redraw, e.g. after the hidden set changed. */
  invalidateAll(): void {
    for (const key of this.buckets.keys()) this.dirty.add(key)
  }

  get isDirty(): boolean {
    return this.dirty.size > 0
  }

  destroy(): void {
    this.container.destroy({ children: true })
    this.buckets.clear()
  }
}

function drawBucket(
  g: Graphics,
  ids: ReadonlySet<string>,
  colour: string,
  regions: ReadonlyMap<string, Region>,
  hidden: ReadonlySet<string>,
  pointRadius: number,
): void {
  g.clear()
  let any = false
  const masks: Extract<Region, { kind: 'mask' }>[] = []
  for (const id of ids) {
    const region = regions.get(id)
    if (!region || hidden.has(id)) continue
    if (region.kind === 'mask') masks.push(region)
    else any = traceRegion(g, region, pointRadius) || any
  }
  if (any) g.stroke({ color: colour, width: 1, pixelLine: true, alpha: 0.95 })
  // A mask has no outline to stroke; it is filled, lightly, so the image shows through.
  if (masks.length === 0) return
  for (const mask of masks) {
    for (const run of maskRuns(mask.geometry)) g.rect(run.x, run.y, 1, run.h)
  }
  g.fill({ color: colour, alpha: 0.35 })
}

/** Adds a region's outline to the current path; returns false for kinds not drawn as a path. */
export function traceRegion(g: Graphics, region: Region, pointRadius: number): boolean {
  switch (region.kind) {
    case 'bbox': {
      const { x, y, w, h } = region.geometry
      g.rect(x, y, w, h)
      return true
    }
    case 'rbox':
      g.poly(rboxCorners(region.geometry).flat(), true)
      return true
    case 'polygon':
      g.poly(region.geometry.points.flat(), true)
      for (const part of region.geometry.parts ?? []) g.poly(part.flat(), true)
      return true
    case 'polyline':
      g.poly(region.geometry.points.flat(), false)
      return true
    case 'point':
      g.circle(region.geometry.x, region.geometry.y, pointRadius)
      return true
    case 'keypoints':
      for (const k of region.geometry.points) if (k.v > 0) g.circle(k.x, k.y, pointRadius)
      return region.geometry.points.length > 0
    case 'mask':
      // Filled from its runs by drawBucket, not traced.
      return false
  }
}

/** FNV-1a: cheap and spreads short random ids evenly over the buckets. */
function hashId(id: string): number {
  let hash = 2166136261
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i)
    hash = Math.imul(hash, 16777619)
  }
  return hash >>> 0
}
