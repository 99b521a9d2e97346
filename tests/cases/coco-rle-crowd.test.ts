import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'
import { exportYolo } from '@concord/shared/formats/yolo/index'
import { rleArea, rleBbox } from '@concord/shared/geometry/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const caseDir = path.resolve(repoRoot, '../shared/cases/coco-rle-crowd')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const input = path.join(caseDir, 'input_coco.json')
const files = () => new Map([['input_coco.json', new Uint8Array(readFileSync(input))]])
const json = (f: Map<string, Uint8Array>) =>
  JSON.parse(new TextDecoder().decode([...f.values()][0]))
/** COCO's 80 detection classes in order, as the real val2017 file lists them. */
const coco80 = JSON.parse(
  readFileSync(
    path.resolve(
      repoRoot,
      '../shared/data/mmdetection/tests/data/coco_dummy/annotations/instances_val2017.json',
    ),
    'utf8',
  ),
).categories.map((c: { name: string }) => ({ name: c.name }))

describe('coco-rle-crowd', () => {
  it('decodes the crowd RLE into a mask with its true pixel count and extent', () => {
    const { dataset } = importCoco(files())
    const crowd = dataset.items[0]!.regions.find((r) => r.crowd)
    expect(crowd?.kind).toBe('mask')
    if (crowd?.kind !== 'mask') return
    expect(rleArea(crowd.geometry)).toBe(expected.crowd_annotation.mask_pixels)
    const b = rleBbox(crowd.geometry)
    expect([b.x, b.y, b.w, b.h]).toEqual(expected.crowd_annotation.mask_extent_xywh)
  })

  it('exports the crowd region as RLE with the mask pixel count as area and the declared bbox', () => {
    const out = json(exportCoco(importCoco(files()).dataset, { crowd: 'rle' }).files)
    const crowd = out.annotations.find((a: { iscrowd: number }) => a.iscrowd === 1)
    expect(crowd.area).toBe(expected.crowd_annotation.mask_pixels)
    expect(crowd.area).not.toBe(expected.crowd_annotation.area_field_in_file)
    // The declared box is within a pixel of the mask extent, so it is kept as the file gave it.
    expect(crowd.bbox).toEqual(expected.crowd_annotation.bbox_field_in_file)
    expect(out.annotations).toHaveLength(2)
  })

  it('leaves crowd regions out only when asked, and reports the skip', () => {
    const { files: out, report } = exportCoco(importCoco(files()).dataset, { crowd: 'skip' })
    expect(json(out).annotations).toHaveLength(1)
    expect(report.warnings.find((w) => w.code === 'skipped')?.count).toBe(1)
  })

  it('gives YOLO one box line per object, the crowd mask included', () => {
    const { dataset } = importCoco(files())
    const { files: yolo } = exportYolo({ ...dataset, labels: coco80 })
    const labelFile = [...yolo.keys()].find((k) => k.endsWith('.txt'))!
    const lines = new TextDecoder().decode(yolo.get(labelFile)).trim().split('\n')
    expect(lines).toHaveLength(expected.expected_yolo_lines)
    // Character for character, the tie 0.2890625 included: it rounds to even, as Python's %.6f.
    const want = Object.values(expected.yolo_box_lines_with_coco80_class_map) as string[]
    expect([...lines].sort()).toEqual([...want].sort())
  })
})
