import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const caseDir = path.resolve(repoRoot, '../shared/cases/duplicate-annotation-ids')
const input = path.join(caseDir, 'input_coco.json')
const source = JSON.parse(readFileSync(input, 'utf8'))
const files = new Map([['input_coco.json', new Uint8Array(readFileSync(input))]])

describe('duplicate-annotation-ids', () => {
  it('keeps both annotations that share an id as separate boxes', () => {
    const { dataset } = importCoco(files)
    const boxes = dataset.items.flatMap((i) => i.regions).map((r) => r.geometry)
    expect(boxes).toEqual(
      source.annotations.map((a: { bbox: number[] }) => ({
        x: a.bbox[0],
        y: a.bbox[1],
        w: a.bbox[2],
        h: a.bbox[3],
      })),
    )
  })

  it('warns with the repeated id', () => {
    const { report } = importCoco(files)
    const id = source.annotations[0].id
    const warning = report.warnings.find((w) => w.code === 'renumbered')
    expect(warning?.message).toContain(`id ${id}`)
  })

  it('exports unique annotation ids', () => {
    const out = JSON.parse(
      new TextDecoder().decode([...exportCoco(importCoco(files).dataset).files.values()][0]),
    )
    const ids = out.annotations.map((a: { id: number }) => a.id)
    expect(ids).toHaveLength(source.annotations.length)
    expect(new Set(ids).size).toBe(ids.length)
    expect(out.annotations.map((a: { bbox: number[] }) => a.bbox)).toEqual(
      source.annotations.map((a: { bbox: number[] }) => a.bbox),
    )
  })

  it('keeps annotation ids unique across files merged into one dataset', () => {
    const bytes = new Uint8Array(readFileSync(input))
    const merged = new Map([
      ['instances_a.json', bytes],
      ['instances_b.json', bytes],
    ])
    const { dataset } = importCoco(merged)
    expect(dataset.items.flatMap((i) => i.regions)).toHaveLength(2 * source.annotations.length)
    const ids = [...exportCoco(dataset).files.values()].flatMap((f) =>
      JSON.parse(new TextDecoder().decode(f)).annotations.map((a: { id: number }) => a.id),
    )
    expect(ids).toHaveLength(2 * source.annotations.length)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
