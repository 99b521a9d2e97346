import {
  addRegion,
  deleteRegion,
  isRegionKind,
  parseGeometry,
  updateRegion,
  type Label,
  type Region,
  type RegionKind,
} from '@concord/shared'
import type * as Y from 'yjs'
import type { CopiedRegion } from './clipboard.ts'
import { translateGeometry } from './geometry-edit.ts'

/** What edits need from a document session: the doc, a local transaction, the undo stack. */
export type EditTarget = { doc: Y.Doc; edit: (fn: () => void) => void; undoManager: Y.UndoManager }

/**
 * Every change the editor makes to regions, each one local transaction (so undoable by this
 * person only) stamped with the user's id. `endStep` closes an undo step, so the next edit is
 * undone separately even if it follows quickly.
 */
export class RegionEdits {
  constructor(
    private readonly target: EditTarget,
    private readonly userId: string,
  ) {}

  create(kind: RegionKind, labelId: string, geometry: Region['geometry']): string {
    let id = ''
    this.target.edit(() => {
      id = addRegion(
        this.target.doc,
        { kind, labelId, geometry } as Parameters<typeof addRegion>[1],
        this.userId,
      )
    })
    this.endStep()
    return id
  }

  setGeometry(id: string, geometry: Region['geometry']): void {
    this.target.edit(() => updateRegion(this.target.doc, id, { geometry }, this.userId))
  }

  relabel(ids: readonly string[], labelId: string): void {
    if (ids.length === 0) return
    this.target.edit(() =>
      ids.forEach((id) => updateRegion(this.target.doc, id, { labelId }, this.userId)),
    )
    this.endStep()
  }

  remove(ids: readonly string[]): void {
    if (ids.length === 0) return
    this.target.edit(() => ids.forEach((id) => deleteRegion(this.target.doc, id)))
    this.endStep()
  }

  /** Moves regions by whole pixels; quick repeats fold into one undo step. */
  nudge(regions: readonly Region[], dx: number, dy: number): void {
    this.target.edit(() => {
      for (const r of regions) {
        updateRegion(this.target.doc, r.id, { geometry: translateGeometry(r, dx, dy) }, this.userId)
      }
    })
  }

  /** Adds copied regions whose geometry still fits the schema; returns the new ids. */
  paste(
    copied: readonly CopiedRegion[],
    labelFor: (c: CopiedRegion & { kind: RegionKind }) => string,
  ): string[] {
    const ids: string[] = []
    this.target.edit(() => {
      for (const c of copied) {
        if (!isRegionKind(c.kind)) continue
        const geometry = parseGeometry(c.kind, c.geometry)
        if (!geometry) continue
        const region = {
          kind: c.kind,
          labelId: labelFor({ ...c, kind: c.kind }),
          geometry,
          attributes: c.attributes,
        }
        ids.push(addRegion(this.target.doc, region as Parameters<typeof addRegion>[1], this.userId))
      }
    })
    this.endStep()
    return ids
  }

  endStep(): void {
    this.target.undoManager.stopCapturing()
  }
}

/** The active label if it allows this kind, else the first label that does. */
export function labelForKind(
  labels: readonly Label[],
  activeLabelId: string | null,
  kind: RegionKind,
): string {
  const allows = (l: Label) => l.kinds.length === 0 || l.kinds.includes(kind)
  const active = labels.find((l) => l.id === activeLabelId)
  if (active && allows(active)) return active.id
  return labels.find(allows)?.id ?? activeLabelId ?? ''
}

/**
 * The hotkey each label answers to: its own, or, in a schema that sets none at all, its
 * position (1–9), so a quickly made project still has digit keys.
 */
export function effectiveHotkey(labels: readonly Label[], index: number): number | null {
  const label = labels[index]
  if (!label) return null
  if (labels.some((l) => l.hotkey !== null)) return label.hotkey
  return index < 9 ? index + 1 : null
}

/** The label a digit key picks, if any. */
export function labelForHotkey(labels: readonly Label[], hotkey: number): Label | undefined {
  return labels.find((_, i) => effectiveHotkey(labels, i) === hotkey)
}

/** The id Tab (step 1) or Shift+Tab (step -1) moves to from `current`, wrapping around. */
export function cycleId(
  ids: readonly string[],
  current: string | undefined,
  step: 1 | -1,
): string | undefined {
  if (ids.length === 0) return undefined
  const at = current === undefined ? -1 : ids.indexOf(current)
  const next = at < 0 ? (step > 0 ? 0 : ids.length - 1) : (at + step + ids.length) % ids.length
  return ids[next]
}
