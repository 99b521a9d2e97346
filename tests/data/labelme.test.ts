import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { exportCoco } from '@concord/shared/formats/coco/index'
import { exportLabelme, importLabelme } from '@concord/shared/formats/labelme/index'
import { importVoc } from '@concord/shared/formats/voc/index'
import { polygonArea, rleArea } from '@concord/shared/geometry/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const examples = path.resolve(repoRoot, '../shared/data/labelme/examples')

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return listJson(full)
    return e.name.endsWith('.json') ? [full] : []
  })
}
/** The one JSON under examples/ that labelme did not write: its own COCO conversion. */
const labelmeFiles = listJson(examples).filter((f) => !f.includes('data_dataset_coco'))
const fileSetOf = (files: string[]) =>
  new Map(
    files.map((f) => [
      path.relative(examples, f).split(path.sep).join('/'),
      new Uint8Array(readFileSync(f)),
    ]),
  )
const folder = (name: string) => listJson(path.join(examples, name, 'data_annotated'))

describe('labelme example files', () => {
  it('finds the examples', () => {
    expect(labelmeFiles.length).toBeGreaterThan(0)
  })

  for (const file of labelmeFiles) {
    const name = path.relative(examples, file)
    it(`imports ${name} with one region per shape`, () => {
      const source = JSON.parse(readFileSync(file, 'utf8'))
      const { dataset } = importLabelme(fileSetOf([file]))
      expect(dataset.items).toHaveLength(1)
      const item = dataset.items[0]!
      expect(item.regions).toHaveLength(source.shapes.length)
      expect(item.regions.map((r) => r.label)).toEqual(
        source.shapes.map((s: { label: string }) => s.label),
      )
      expect([item.width, item.height]).toEqual([source.imageWidth, source.imageHeight])
    })
  }

  it('exports and re-imports every example with the same regions', () => {
    const { dataset } = importLabelme(fileSetOf(labelmeFiles))
    const back = importLabelme(exportLabelme(dataset).files).dataset
    expect(back.items.map((i) => i.key).sort()).toEqual(dataset.items.map((i) => i.key).sort())
    for (const item of dataset.items) {
      const again = back.items.find((i) => i.key === item.key)!
      expect(again.regions.map((r) => [r.kind, r.label, r.group ?? null, r.geometry])).toEqual(
        item.regions.map((r) => [r.kind, r.label, r.group ?? null, r.geometry]),
      )
      expect(again.tags).toEqual(item.tags)
    }
  })

  it('returns the embedded image of apc2016_obj3.json with the size the file states', async () => {
    const file = path.join(examples, 'tutorial/apc2016_obj3.json')
    const source = JSON.parse(readFileSync(file, 'utf8'))
    const { images, dataset } = importLabelme(fileSetOf([file]))
    const bytes = images.get(dataset.items[0]!.path)
    expect(bytes).toBeDefined()
    const meta = await sharp(bytes!).metadata()
    expect([meta.width, meta.height]).toEqual([source.imageWidth, source.imageHeight])
  })

  it('decodes the primitives mask to as many pixels as an independent PNG decoder sees', async () => {
    const file = path.join(examples, 'primitives/primitives.json')
    const source = JSON.parse(readFileSync(file, 'utf8'))
    const shape = source.shapes.find((s: { shape_type: string }) => s.shape_type === 'mask')
    const { data } = await sharp(Buffer.from(shape.mask, 'base64'))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true })
    const expected = data.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)
    const region = importLabelme(fileSetOf([file])).dataset.items[0]!.regions.find(
      (r) => r.kind === 'mask',
    )!
    expect(region.kind === 'mask' && rleArea(region.geometry)).toBe(expected)
  })

  it('keeps group_id 0 on the polygons of 2011_000006 and the vertex below the image edge', () => {
    const file = path.join(examples, 'instance_segmentation/data_annotated/2011_000006.json')
    const source = JSON.parse(readFileSync(file, 'utf8'))
    const { dataset } = importLabelme(fileSetOf([file]))
    const regions = dataset.items[0]!.regions
    expect(regions.map((r) => r.group ?? null)).toEqual(
      source.shapes.map((s: { group_id: number | null }) => s.group_id),
    )
    expect(regions.filter((r) => r.group === 0).length).toBeGreaterThan(1)
    const maxY = Math.max(
      ...regions.flatMap((r) => (r.kind === 'polygon' ? r.geometry.points.map((p) => p[1]) : [])),
    )
    expect(maxY).toBeGreaterThan(source.imageHeight)
    const { report } = exportCoco(dataset)
    expect(report.warnings.find((w) => w.code === 'clipped')?.count).toBeGreaterThan(0)
  })
})

type CocoOut = {
  images: { id: number; file_name: string }[]
  categories: { id: number; name: string }[]
  annotations: {
    image_id: number
    category_id: number
    bbox: number[]
    area: number
    segmentation: number[][]
  }[]
}

describe("labelme's own conversions agree with ours, region by region", () => {
  it('COCO: every instance of labelme2coco is one of our COCO annotations', () => {
    const ours: CocoOut = JSON.parse(
      new TextDecoder().decode(
        [
          ...exportCoco(
            importLabelme(fileSetOf(folder('instance_segmentation'))).dataset,
          ).files.values(),
        ][0],
      ),
    )
    const theirs: CocoOut = JSON.parse(
      readFileSync(
        path.join(examples, 'instance_segmentation/data_dataset_coco/annotations.json'),
        'utf8',
      ),
    )
    const flat = (c: CocoOut) => {
      const file = new Map(c.images.map((i) => [i.id, path.basename(i.file_name)]))
      const name = new Map(c.categories.map((k) => [k.id, k.name]))
      return c.annotations.map((a) => ({
        file: file.get(a.image_id)!,
        name: name.get(a.category_id)!,
        a,
      }))
    }
    const mine = flat(ours)
    const wanted = flat(theirs)
    // labelme2coco leaves out the `__ignore__` class by its labels.txt convention; we keep it.
    expect(mine.filter((m) => m.name !== '__ignore__')).toHaveLength(wanted.length)
    for (const w of wanted) {
      const match = mine.find(
        (m) =>
          m.file === w.file &&
          m.name === w.name &&
          m.a.segmentation.length === w.a.segmentation.length &&
          m.a.segmentation.every((ring, r) =>
            ring.every((v, i) => Math.abs(v - w.a.segmentation[r]![i]!) <= 1e-6),
          ),
      )
      expect(match, `${w.file} ${w.name} ${w.a.bbox}`).toBeDefined()
      // labelme2coco boxes and areas come from a raster of the polygon: within a pixel per edge,
      // and within half the perimeter in area.
      const [x, y, bw, bh] = match!.a.bbox as [number, number, number, number]
      const [X, Y, W, H] = w.a.bbox as [number, number, number, number]
      for (const d of [x - X, y - Y, x + bw - (X + W), y + bh - (Y + H)])
        expect(Math.abs(d)).toBeLessThanOrEqual(1)
      const perimeter = w.a.segmentation.reduce((sum, ring) => {
        let p = 0
        for (let i = 0; i < ring.length; i += 2) {
          const j = (i + 2) % ring.length
          p += Math.hypot(ring[j]! - ring[i]!, ring[j + 1]! - ring[i + 1]!)
        }
        return sum + p
      }, 0)
      const shoelace = w.a.segmentation.reduce((sum, ring) => {
        const points = [] as [number, number][]
        for (let i = 0; i < ring.length; i += 2) points.push([ring[i]!, ring[i + 1]!])
        return sum + polygonArea({ points })
      }, 0)
      expect(Math.abs(match!.a.area - shoelace)).toBeLessThan(1e-6)
      expect(Math.abs(match!.a.area - w.a.area)).toBeLessThanOrEqual(perimeter / 2 + 1)
    }
  })

  it('VOC: every box of labelme2voc equals ours (read with the 0-based continuous convention)', () => {
    const ours = importLabelme(fileSetOf(folder('bbox_detection'))).dataset
    const vocDir = path.join(examples, 'bbox_detection/data_dataset_voc/Annotations')
    const xmls = readdirSync(vocDir).map((f) => path.join(vocDir, f))
    const voc = importVoc(
      new Map(
        xmls.map((f) => [`Annotations/${path.basename(f)}`, new Uint8Array(readFileSync(f))]),
      ),
      {
        convention: 'zero-based-continuous',
      },
    ).dataset
    const stem = (p: string) => path.basename(p).replace(/\.[^.]+$/, '')
    expect(voc.items.map((i) => stem(i.path)).sort()).toEqual(
      ours.items.map((i) => stem(i.path)).sort(),
    )
    for (const item of ours.items) {
      const other = voc.items.find((v) => stem(v.path) === stem(item.path))!
      expect(other.regions.map((r) => [r.kind, r.label])).toEqual(
        item.regions.map((r) => [r.kind, r.label]),
      )
      other.regions.forEach((r, i) => {
        const mine = item.regions[i]!
        if (r.kind !== 'bbox' || mine.kind !== 'bbox') throw new Error('expected boxes')
        for (const k of ['x', 'y', 'w', 'h'] as const)
          expect(Math.abs(r.geometry[k] - mine.geometry[k])).toBeLessThanOrEqual(1e-6)
      })
    }
  })
})
