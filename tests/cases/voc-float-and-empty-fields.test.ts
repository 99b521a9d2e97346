import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCoco } from '@concord/shared/formats/coco/index'
import { exportVoc, importVoc } from '@concord/shared/formats/voc/index'
import { casesDir, readOne } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'voc-float-and-empty-fields')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const input = () => readOne(path.join(caseDir, 'float_fields.xml'))

function cocoBbox(convention?: 'one-based' | 'zero-based-continuous'): number[] {
  const { dataset } = importVoc(input(), convention ? { convention } : {})
  const coco = JSON.parse(new TextDecoder().decode([...exportCoco(dataset).files.values()][0]))
  const person = coco.categories.find((c: { name: string }) => c.name === 'person')
  return coco.annotations.find((a: { category_id: number }) => a.category_id === person.id).bbox
}

describe('voc-float-and-empty-fields', () => {
  it('reads float corners, a float truncated and an empty depth without complaint', () => {
    const { dataset } = importVoc(input())
    const item = dataset.items[0]!
    expect([item.width, item.height]).toEqual([500, 375])
    const person = item.regions.find((r) => r.label === 'person')!
    expect(person.attributes.truncated).toBe(expected.raw_values_preserved.truncated)
    const box = person.geometry as Record<string, number>
    const raw = expected.raw_values_preserved
    // Nothing is rounded on import: the 1-based offset is the only change.
    expect(box.x).toBe(raw.xmin - 1)
    expect(box.y).toBe(raw.ymin - 1)
    expect(box.x! + box.w!).toBe(raw.xmax)
    expect(box.y! + box.h!).toBe(raw.ymax)
  })

  it('gives the 1-based COCO box by default', () => {
    cocoBbox().forEach((v, i) => expect(v).toBeCloseTo(expected.coco_bbox_default_voc_1based[i], 9))
  })

  it('gives the continuous COCO box with the zero-based option', () => {
    cocoBbox('zero-based-continuous').forEach((v, i) =>
      expect(v).toBeCloseTo(expected.coco_bbox_with_continuous_option[i], 9),
    )
  })

  it('removes the 1-based offset from polygon vertices without rounding', () => {
    const { dataset } = importVoc(input())
    const plant = dataset.items[0]!.regions.find((r) => r.label === 'plant')!
    expect(plant.kind).toBe('polygon')
    const first = (plant.geometry as { points: [number, number][] }).points[0]
    expect(first).toEqual(expected.polygon_first_vertex_default_voc_1based.in_workspace)
  })

  it('writes the float corners and truncated value back as they were read', () => {
    const { dataset } = importVoc(input())
    const xml = new TextDecoder().decode([...exportVoc(dataset).files.values()][0])
    const raw = expected.raw_values_preserved
    const round6 = (v: number) => String(Math.round(v * 1e6) / 1e6)
    for (const key of ['xmin', 'ymin', 'xmax', 'ymax']) {
      expect(xml).toContain(`<${key}>${round6(raw[key])}</${key}>`)
    }
    expect(xml).toContain(`<truncated>${raw.truncated}</truncated>`)
  })
})
