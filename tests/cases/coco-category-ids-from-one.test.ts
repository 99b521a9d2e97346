import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'
import { importLabelStudio } from '@concord/shared/formats/labelstudio/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const caseDir = path.resolve(repoRoot, '../shared/cases/coco-category-ids-from-one')
const dataDir = path.resolve(repoRoot, '../shared/data')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const fileSet = (file: string) =>
  new Map([[path.basename(file), new Uint8Array(readFileSync(file))]])
const json = (files: Map<string, Uint8Array>) =>
  JSON.parse(new TextDecoder().decode([...files.values()][0]))

describe('coco-category-ids-from-one', () => {
  it('exports categories numbered 1..N with their names', () => {
    const { dataset } = importLabelStudio(fileSet(path.join(caseDir, 'input_labelstudio.json')))
    const out = json(exportCoco(dataset).files)
    expect(
      out.categories.map((c: { id: number; name: string }) => ({ id: c.id, name: c.name })),
    ).toEqual(expected.export_categories)
    expect(out.annotations.map((a: { category_id: number }) => a.category_id)).toEqual(
      expected.export_annotation_category_ids,
    )
  })

  it('still imports category id 0 and renumbers it on export, keeping names', () => {
    const file = path.join(
      dataDir,
      'labelme/examples/instance_segmentation/data_dataset_coco/annotations.json',
    )
    const source = JSON.parse(readFileSync(file, 'utf8'))
    expect(source.categories.some((c: { id: number }) => c.id === 0)).toBe(true)
    const out = json(exportCoco(importCoco(fileSet(file)).dataset).files)
    expect(out.categories.map((c: { name: string }) => c.name)).toEqual(
      source.categories.map((c: { name: string }) => c.name),
    )
    expect(out.categories.map((c: { id: number }) => c.id)).toEqual(
      source.categories.map((_: unknown, i: number) => i + 1),
    )
  })

  it('imports ids with gaps and keeps each annotation on its category by name', () => {
    const file = path.join(
      dataDir,
      'mmdetection/tests/data/coco_dummy/annotations/instances_val2017.json',
    )
    const source = JSON.parse(readFileSync(file, 'utf8'))
    const nameOf = new Map(
      source.categories.map((c: { id: number; name: string }) => [c.id, c.name]),
    )
    const out = json(exportCoco(importCoco(fileSet(file)).dataset).files)
    const outName = new Map(out.categories.map((c: { id: number; name: string }) => [c.id, c.name]))
    expect(out.annotations.map((a: { category_id: number }) => outName.get(a.category_id))).toEqual(
      source.annotations.map((a: { category_id: number }) => nameOf.get(a.category_id)),
    )
    expect(Math.max(...out.categories.map((c: { id: number }) => c.id))).toBe(out.categories.length)
  })
})
