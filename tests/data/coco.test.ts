import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dataDir = path.resolve(repoRoot, '../shared/data')
const labelmeCoco = path.join(
  dataDir,
  'labelme/examples/instance_segmentation/data_dataset_coco/annotations.json',
)
const mmdetCoco = path.join(
  dataDir,
  'mmdetection/tests/data/coco_dummy/annotations/instances_val2017.json',
)
const mmdetSample = path.join(dataDir, 'mmdetection/tests/data/coco_sample.json')

type Ann = {
  image_id: number
  category_id: number
  bbox: number[]
  area: number
  iscrowd?: number
  segmentation?: number[][] | { counts: number[]; size: number[] }
}
type Coco = {
  images: { id: number; file_name: string }[]
  categories: { id: number; name: string }[]
  annotations: Ann[]
}

const read = (file: string): Coco => JSON.parse(readFileSync(file, 'utf8'))
const roundTrip = (file: string, options = {}) => {
  const imported = importCoco(
    new Map([[path.basename(file), new Uint8Array(readFileSync(file))]]),
    { subset: '' },
  )
  const exported = exportCoco(imported.dataset, options)
  return {
    imported,
    out: JSON.parse(new TextDecoder().decode([...exported.files.values()][0])) as Coco,
    report: exported.report,
  }
}

/** Annotations as (image file, category name, annotation), the ids of either side resolved. */
function resolved(coco: Coco) {
  const file = new Map(coco.images.map((i) => [i.id, i.file_name]))
  const name = new Map(coco.categories.map((c) => [c.id, c.name]))
  return coco.annotations.map((a) => ({
    file: file.get(a.image_id),
    category: name.get(a.category_id),
    ann: a,
  }))
}

function expectNumbersClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance))
}

describe('labelme-made COCO file (ids from 0, folder prefixes)', () => {
  const source = read(labelmeCoco)
  const { imported, out } = roundTrip(labelmeCoco)

  it('keeps the folder prefix of file_name as the item path', () => {
    expect(imported.dataset.items.map((i) => i.path)).toEqual(source.images.map((i) => i.file_name))
    expect(out.images.map((i) => i.file_name)).toEqual(source.images.map((i) => i.file_name))
  })

  it('exports every annotation with boxes and polygon points equal within 1e-6 and names kept', () => {
    const want = resolved(source)
    const got = resolved(out)
    expect(got).toHaveLength(want.length)
    got.forEach((g, i) => {
      const w = want[i]!
      expect([g.file, g.category]).toEqual([w.file, w.category])
      expectNumbersClose(g.ann.bbox, w.ann.bbox, 1e-6)
      const gs = g.ann.segmentation as number[][]
      const ws = w.ann.segmentation as number[][]
      expect(gs).toHaveLength(ws.length)
      gs.forEach((ring, r) => expectNumbersClose(ring, ws[r]!, 1e-6))
    })
  })

  it('numbers categories 1..N in the source order', () => {
    expect(out.categories.map((c) => c.name)).toEqual(source.categories.map((c) => c.name))
    expect(out.categories.map((c) => c.id)).toEqual(out.categories.map((_, i) => i + 1))
  })
})

describe('mmdetection COCO file (crowd RLE, multi-part polygons, ids with gaps)', () => {
  const source = read(mmdetCoco)
  const { imported, out } = roundTrip(mmdetCoco)

  it('imports every annotation, the crowd one as a mask', () => {
    const regions = imported.dataset.items.flatMap((i) => i.regions)
    expect(regions).toHaveLength(source.annotations.length)
    const crowd = regions.filter((r) => r.crowd)
    expect(crowd.map((r) => r.kind)).toEqual(
      source.annotations.filter((a) => a.iscrowd).map(() => 'mask'),
    )
  })

  it('exports the same objects with polygons, boxes and RLE counts unchanged', () => {
    const want = resolved(source)
    const got = resolved(out)
    expect(got).toHaveLength(want.length)
    got.forEach((g, i) => {
      const w = want[i]!
      expect([g.file, g.category, g.ann.iscrowd]).toEqual([w.file, w.category, w.ann.iscrowd])
      expectNumbersClose(g.ann.bbox, w.ann.bbox, 1e-6)
      if (Array.isArray(w.ann.segmentation)) {
        const gs = g.ann.segmentation as number[][]
        expect(gs).toHaveLength(w.ann.segmentation.length)
        gs.forEach((ring, r) =>
          expectNumbersClose(ring, (w.ann.segmentation as number[][])[r]!, 1e-6),
        )
        // Polygon areas from the shoelace formula agree with the file's own to within a pixel.
        expect(Math.abs(g.ann.area - w.ann.area)).toBeLessThan(1)
      } else {
        expect(g.ann.segmentation).toEqual(w.ann.segmentation)
      }
    })
  })

  it('takes the crowd area from the mask, not from the disagreeing area field', () => {
    const crowd = out.annotations.find((a) => a.iscrowd === 1)!
    const counts = (crowd.segmentation as { counts: number[] }).counts
    const pixels = counts.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0)
    expect(crowd.area).toBe(pixels)
    expect(source.annotations.find((a) => a.iscrowd === 1)!.area).not.toBe(pixels)
  })

  it('keeps an object made of three polygons as one annotation', () => {
    const multi = source.annotations.filter(
      (a) => Array.isArray(a.segmentation) && a.segmentation.length > 1,
    )
    expect(multi.length).toBeGreaterThan(0)
    const outMulti = out.annotations.filter(
      (a) => Array.isArray(a.segmentation) && a.segmentation.length > 1,
    )
    expect(outMulti.map((a) => (a.segmentation as number[][]).length)).toEqual(
      multi.map((a) => (a.segmentation as number[][]).length),
    )
  })
})

describe('mmdetection coco_sample (boxes only, images without annotations)', () => {
  it('keeps every image and every box', () => {
    const source = read(mmdetSample)
    const { out } = roundTrip(mmdetSample)
    expect(out.images.map((i) => i.file_name)).toEqual(source.images.map((i) => i.file_name))
    const want = resolved(source)
    const got = resolved(out)
    expect(got.map((g) => [g.file, g.category, g.ann.bbox])).toEqual(
      want.map((w) => [w.file, w.category, w.ann.bbox]),
    )
  })
})
