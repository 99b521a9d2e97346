import { FormatError, type InterchangeLabel } from '../model.ts'

/**
 * Which side a keypoint name is on, and its name with the side taken away: `left_eye` is
 * `left` of `eye`, `RightHip` is `right` of `hip`, `nose` has no side. Prefixes only, with `_`,
 * `-`, a space or a capital after the side, as COCO and most pose schemas spell them.
 */
function sideOf(name: string): { side: 'left' | 'right'; rest: string } | undefined {
  const match = /^(left|right)(?:[_\s-]+|(?=[A-Z]))(.+)$/i.exec(name)
  if (!match) return undefined
  return { side: match[1]!.toLowerCase() as 'left' | 'right', rest: match[2]!.toLowerCase() }
}

/**
 * The horizontal-flip permutation of one label's keypoints: each `left_*` swaps with its
 * `right_*`, names without a side stay. Undefined when a sided name has no partner, or a
 * partner twice, since a guessed swap would teach a model mirrored joints.
 */
function flipOfNames(names: string[]): number[] | undefined {
  const bySide = new Map<string, number>()
  for (const [i, name] of names.entries()) {
    const sided = sideOf(name)
    if (!sided) continue
    const key = `${sided.side}:${sided.rest}`
    if (bySide.has(key)) return undefined
    bySide.set(key, i)
  }
  const flip = names.map((_, i) => i)
  for (const [key, i] of bySide) {
    const [side, rest] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)]
    const partner = bySide.get(`${side === 'left' ? 'right' : 'left'}:${rest}`)
    if (partner === undefined) return undefined
    flip[i] = partner
  }
  return flip
}

/**
 * Ultralytics' `flip_idx` for a pose export with K keypoints per object, derived from the
 * labels' keypoint names. Ultralytics has one `flip_idx` for the whole dataset, so every label
 * that names keypoints must give the same permutation (indices past a label's names stay put),
 * and at least one left/right pair must exist; otherwise there is none and Ultralytics trains
 * without horizontal flips rather than with wrong ones.
 */
export function deriveFlipIndex(labels: InterchangeLabel[], k: number): number[] | undefined {
  let flip: number[] | undefined
  for (const label of labels) {
    if (!label.keypoints?.length) continue
    const own = flipOfNames(label.keypoints)
    if (!own) return undefined
    const padded = Array.from({ length: k }, (_, i) => own[i] ?? i)
    if (flip && flip.some((value, i) => value !== padded[i])) return undefined
    flip = padded
  }
  return flip && flip.some((value, i) => value !== i) ? flip : undefined
}

/**
 * `kpt_names` as newer Ultralytics datasets write it: class index to the list of that class's
 * keypoint names, for the classes that declare names.
 */
export function keypointNamesByClass(
  labels: InterchangeLabel[],
  classOf: Map<string, number>,
): Record<number, string[]> | undefined {
  const out: Record<number, string[]> = {}
  for (const label of labels) {
    const index = classOf.get(label.name)
    if (index !== undefined && label.keypoints?.length) out[index] = [...label.keypoints]
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/**
 * Reads `kpt_names` from data.yaml: a map from class index to names, or a list with one list
 * of names per class. Refuses anything else, naming the key.
 */
export function readKeypointNames(file: string, value: unknown): Map<number, string[]> {
  const out = new Map<number, string[]>()
  if (value === undefined || value === null) return out
  if (typeof value !== 'object') {
    throw new FormatError(file, 'kpt_names', 'expected a map of class index to keypoint names')
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((names, i) => [String(i), names])
    : Object.entries(value)
  for (const [key, names] of entries) {
    const index = Number(key)
    const ok =
      Number.isInteger(index) &&
      index >= 0 &&
      Array.isArray(names) &&
      names.every((n) => typeof n === 'string' || typeof n === 'number')
    if (!ok) throw new FormatError(file, `kpt_names.${key}`, 'expected a list of keypoint names')
    out.set(index, (names as unknown[]).map(String))
  }
  return out
}
