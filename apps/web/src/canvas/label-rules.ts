import type { Label, RegionKind } from '@concord/shared'

/** How a kind is named in messages, plural, as in "does not allow boxes". */
const KIND_NOUNS: Record<RegionKind, string> = {
  bbox: 'boxes',
  rbox: 'rotated boxes',
  polygon: 'polygons',
  polyline: 'polylines',
  point: 'points',
  keypoints: 'keypoint sets',
  mask: 'masks',
}

/** Whether a region of this kind may carry the label; a label with no kinds allows every kind. */
export function labelAllows(label: Label, kind: RegionKind): boolean {
  return label.kinds.length === 0 || label.kinds.includes(kind)
}

/** "The label “pot” does not allow polygons (only boxes)." */
export function kindRefusal(label: Label, kind: RegionKind): string {
  const allowed = label.kinds.map((k) => KIND_NOUNS[k]).join(', ')
  return `The label “${label.name}” does not allow ${KIND_NOUNS[kind]} (only ${allowed}).`
}

/** Either the label a new region gets, or why none may be given. */
export type LabelChoice = { ok: true; labelId: string } | { ok: false; message: string }

/**
 * The label for a shape just drawn: the active label, and only if it allows the shape's kind. A
 * region never silently takes another label than the one the person picked.
 */
export function labelForDrawing(
  labels: readonly Label[],
  activeLabelId: string | null,
  kind: RegionKind,
): LabelChoice {
  const active = labels.find((l) => l.id === activeLabelId)
  if (!active) {
    if (labels.length === 0) return { ok: true, labelId: activeLabelId ?? '' }
    return { ok: false, message: 'Pick a label before drawing.' }
  }
  if (!labelAllows(active, kind)) return { ok: false, message: kindRefusal(active, kind) }
  return { ok: true, labelId: active.id }
}

/**
 * Why the label may not go on these regions (the first kind it does not allow), or null when
 * it may go on all of them; a relabel is refused whole rather than applied to some.
 */
export function relabelRefusal(label: Label, kinds: readonly RegionKind[]): string | null {
  const refused = kinds.find((kind) => !labelAllows(label, kind))
  return refused === undefined ? null : kindRefusal(label, refused)
}
