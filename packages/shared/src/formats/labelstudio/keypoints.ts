import type { ReportBuilder } from '../common/report.ts'
import type { InterchangeLabel, InterchangeRegion } from '../model.ts'

/**
 * Keypoint sets in Label Studio. Label Studio has no keypoint-set result: each point is its own
 * `keypointlabels` result. A set is written as points that name the first one as `parentID`
 * (Label Studio's own link from a region to the region it belongs to), and each point's name, when
 * the label declares keypoint names, as the region's meta text. Reading follows the same links.
 */

/** A keypoint result already read as a point region, with what joining it to a set needs. */
export type KeypointEntry = {
  id: string | undefined
  parentId: string | undefined
  name: string | undefined
  region: InterchangeRegion
}

/** A keypoints region made by joining, with the name of each of its points as read. */
export type JoinedKeypoints = {
  region: Extract<InterchangeRegion, { kind: 'keypoints' }>
  names: (string | undefined)[]
}

/**
 * Replaces every chain of keypoint results linked by `parentID` with one keypoints region, in
 * place in `regions` (at the root's position; the root gives label and attributes). A
 * `parentID` naming anything but another keypoint leaves the point a point.
 */
export function joinKeypoints(
  regions: InterchangeRegion[],
  entries: KeypointEntry[],
): JoinedKeypoints[] {
  const byId = new Map<string, KeypointEntry>()
  for (const entry of entries) if (entry.id !== undefined) byId.set(entry.id, entry)
  const rootOf = (entry: KeypointEntry): KeypointEntry => {
    const seen = new Set<KeypointEntry>([entry])
    let current = entry
    for (;;) {
      const parent = current.parentId === undefined ? undefined : byId.get(current.parentId)
      // A cycle has no true root; its first member met stands in for one.
      if (!parent || seen.has(parent)) return current
      seen.add(parent)
      current = parent
    }
  }
  const groups = new Map<KeypointEntry, KeypointEntry[]>()
  for (const entry of entries) {
    const root = rootOf(entry)
    groups.set(root, [...(groups.get(root) ?? []), entry])
  }

  const joined: JoinedKeypoints[] = []
  for (const [root, members] of groups) {
    if (members.length < 2) continue
    const ordered = [root, ...members.filter((m) => m !== root)]
    const region = {
      ...root.region,
      kind: 'keypoints',
      geometry: {
        points: ordered.map(({ region: r }) => {
          const g = r.geometry as { x: number; y: number }
          return { x: g.x, y: g.y, v: 2 as const }
        }),
      },
    } as JoinedKeypoints['region']
    const drop = new Set(ordered.map((m) => m.region))
    const at = regions.indexOf(root.region)
    regions.splice(at, 1, region)
    for (let i = regions.length - 1; i >= 0; i--) if (drop.has(regions[i]!)) regions.splice(i, 1)
    joined.push({ region, names: ordered.map((m) => m.name) })
  }
  return joined
}

/**
 * Gives labels the keypoint names their sets carried, in first-seen order, and puts every named
 * set's points at their name's index, with unlabelled (`v: 0`) points where a name is missing.
 * Sets with a missing or repeated name keep their points in the order they were read.
 */
export function applyKeypointNames(labels: InterchangeLabel[], joined: JoinedKeypoints[]): void {
  const named = joined.filter(
    ({ names }) => names.every((n) => n !== undefined) && new Set(names).size === names.length,
  )
  const namesOf = new Map<string, string[]>()
  for (const { region, names } of named) {
    const list = namesOf.get(region.label) ?? []
    for (const name of names) if (!list.includes(name!)) list.push(name!)
    namesOf.set(region.label, list)
  }
  for (const label of labels) {
    const list = namesOf.get(label.name)
    if (list) label.keypoints = list
  }
  for (const { region, names } of named) {
    const list = namesOf.get(region.label)!
    const points = list.map(() => ({ x: 0, y: 0, v: 0 as 0 | 1 | 2 }))
    names.forEach((name, i) => {
      points[list.indexOf(name!)] = region.geometry.points[i]!
    })
    region.geometry = { points }
  }
}

/** One keypoint as the exporter writes it: where, and the name its result carries. */
export type KeypointOut = { x: number; y: number; name: string | undefined }

/**
 * The points of a set that Label Studio can hold, with their names from the label. Unlabelled
 * points have no place and hidden ones lose their visibility; both are reported.
 */
export function keypointsForExport(
  region: Extract<InterchangeRegion, { kind: 'keypoints' }>,
  label: InterchangeLabel | undefined,
  report: ReportBuilder,
): KeypointOut[] {
  const out: KeypointOut[] = []
  region.geometry.points.forEach((p, i) => {
    if (p.v === 0) {
      report.lossy('keypoints', 'Label Studio has no unlabelled keypoint; such points left out')
      return
    }
    if (p.v === 1)
      report.lossy(
        'keypoints',
        'Label Studio has no keypoint visibility; hidden points read back visible',
      )
    out.push({ x: p.x, y: p.y, name: label?.keypoints?.[i] })
  })
  if (out.length === 1)
    report.lossy('keypoints', 'a set with one labelled point reads back as a single point')
  return out
}
