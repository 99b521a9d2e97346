import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportLabelStudio, importLabelStudio } from '@concord/shared/formats/labelstudio/index'
import { expectClose } from '@concord/shared/formats/test-support/close'
import { rboxCorners, rboxTopLeft } from '@concord/shared/geometry/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dataDir = path.resolve(repoRoot, '../shared/data/label-studio-converter/tests/data')
const taskFiles = readdirSync(dataDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(dataDir, d.name)).map((f) => path.join(dataDir, d.name, f)))
  .filter((f) => f.endsWith('.json') && Array.isArray(JSON.parse(readFileSync(f, 'utf8'))))
const load = (file: string) => new Map([[path.basename(file), new Uint8Array(readFileSync(file))]])

type Task = {
  data: Record<string, unknown>
  annotations?: { was_cancelled?: boolean; result: { type: string }[] }[]
  predictions?: unknown[]
}
const SHAPES = new Set(['rectanglelabels', 'polygonlabels', 'keypointlabels'])

describe('label-studio-converter task exports', () => {
  it('finds the exports', () => {
    expect(taskFiles.length).toBeGreaterThan(0)
  })

  for (const file of taskFiles) {
    const name = path.relative(dataDir, file)
    it(`imports ${name}: one region per shape result, tasks without an image reported`, () => {
      const tasks: Task[] = JSON.parse(readFileSync(file, 'utf8'))
      const withImage = tasks.filter((t) => typeof t.data.image === 'string')
      const shapeResults = withImage
        .flatMap((t) => [
          ...(t.annotations ?? []).filter((a) => !a.was_cancelled).flatMap((a) => a.result),
          ...(t.predictions ?? []).flatMap((p) =>
            p && typeof p === 'object' ? ((p as { result?: { type: string }[] }).result ?? []) : [],
          ),
        ])
        .filter((r) => SHAPES.has(r.type))
      const { dataset, report } = importLabelStudio(load(file))
      expect(dataset.items.flatMap((i) => i.regions)).toHaveLength(shapeResults.length)
      const skipped =
        report.warnings.find((w) => w.message.startsWith('task without an image'))?.count ?? 0
      expect(skipped).toBe(tasks.length - withImage.length)
    })
  }

  it('keeps Butterfly and butterfly as two labels', () => {
    const { dataset } = importLabelStudio(
      load(path.join(dataDir, 'test_export_yolo/data_obb.json')),
    )
    expect(dataset.labels.map((l) => l.name).sort()).toEqual(['Butterfly', 'butterfly'])
  })

  it('turns rotated rectangles about their top-left corner in pixels, keeping right angles', () => {
    const file = path.join(dataDir, 'test_export_yolo/data_obb.json')
    const tasks = JSON.parse(readFileSync(file, 'utf8'))
    const results = tasks.flatMap((t: { annotations: { result: unknown[] }[] }) =>
      t.annotations.flatMap((a) => a.result),
    )
    const regions = importLabelStudio(load(file)).dataset.items.flatMap((i) => i.regions)
    expect(regions).toHaveLength(results.length)
    regions.forEach((region, i) => {
      const r = results[i] as {
        original_width: number
        original_height: number
        value: { x: number; y: number; width: number; height: number; rotation: number }
      }
      expect(region.kind).toBe('rbox')
      if (region.kind !== 'rbox') return
      const [x, y] = rboxTopLeft(region.geometry)
      expect(x).toBeCloseTo((r.value.x / 100) * r.original_width, 6)
      expect(y).toBeCloseTo((r.value.y / 100) * r.original_height, 6)
      expect(region.geometry.w).toBeCloseTo((r.value.width / 100) * r.original_width, 6)
      expect(region.geometry.h).toBeCloseTo((r.value.height / 100) * r.original_height, 6)
      expect(region.geometry.angle).toBeCloseTo(r.value.rotation, 6)
      const [a, b, c] = rboxCorners(region.geometry)
      const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
      expect(Math.abs(dot)).toBeLessThan(1e-6)
    })
  })

  it('names uploaded images without the /data/upload/<project>/ prefix', () => {
    const { dataset } = importLabelStudio(
      load(path.join(dataDir, 'test_export_json_min/data.json')),
    )
    expect(dataset.items.map((i) => i.path)).toEqual(['example.png'])
  })

  it('exports and re-imports every file with the same regions', () => {
    for (const file of taskFiles) {
      const { dataset } = importLabelStudio(load(file))
      const back = importLabelStudio(exportLabelStudio(dataset).files).dataset
      expect(back.items.map((i) => i.key)).toEqual(dataset.items.map((i) => i.key))
      back.items.forEach((item, i) => {
        const before = dataset.items[i]!.regions
        expect(item.regions.map((r) => [r.kind, r.label, r.source, r.score ?? null])).toEqual(
          before.map((r) => [r.kind, r.label, r.source, r.score ?? null]),
        )
        expectClose(
          item.regions.map((r) => r.geometry),
          before.map((r) => r.geometry),
          1e-6,
        )
      })
    }
  })
})
