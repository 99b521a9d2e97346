import type { Point } from '../../geometry/index.ts'
import type { InterchangeRegion } from '../model.ts'

type PolygonRegion = Extract<InterchangeRegion, { kind: 'polygon' }>

/**
 * Joins the polygons one CVAT `group_id` ties into one object back into a multi-part polygon,
 * which is how Concord writes a polygon's further parts (see the exporter).
 *
 * The rule, so that CVAT files whose groups mean something else are not bent: within one image
 * and one group, the polygons that share a label, a source and every attribute (occluded and
 * z_order included) are one object in several parts and become one polygon; the first keeps its
 * place in the list. Polygons that differ in any of those, and every other shape of the group,
 * stay regions of their own. The joined polygon keeps `group` when other shapes are still in
 * the group (a box of the same object, say); when it was the group's only member the group
 * said no more than the parts do, and is dropped. `joined` counts the polygons that became
 * parts of multi-part ones, for the report: the file's shapes are more than the regions.
 */
export function joinGroupedPolygons(regions: InterchangeRegion[]): {
  regions: InterchangeRegion[]
  joined: number
} {
  const members = new Map<string, number>()
  for (const region of regions) {
    if (region.group == null) continue
    const key = String(region.group)
    members.set(key, (members.get(key) ?? 0) + 1)
  }

  const joined = new Map<string, { region: PolygonRegion; parts: Point[][]; count: number }>()
  const out: InterchangeRegion[] = []
  for (const region of regions) {
    if (region.kind !== 'polygon' || region.group == null || region.geometry.holes?.length) {
      out.push(region)
      continue
    }
    const key = JSON.stringify([
      String(region.group),
      region.label,
      region.source ?? 'human',
      Object.entries(region.attributes).sort(([a], [b]) => a.localeCompare(b)),
    ])
    const first = joined.get(key)
    if (first) {
      first.parts.push(region.geometry.points, ...(region.geometry.parts ?? []))
      first.count++
      continue
    }
    const copy: PolygonRegion = { ...region, geometry: { ...region.geometry } }
    joined.set(key, { region: copy, parts: [...(region.geometry.parts ?? [])], count: 1 })
    out.push(copy)
  }

  let joinedCount = 0
  for (const { region, parts, count } of joined.values()) {
    if (parts.length > 0) region.geometry.parts = parts
    if (count > 1) joinedCount += count
    if (count > 1 && members.get(String(region.group)) === count) delete region.group
  }
  return { regions: out, joined: joinedCount }
}
