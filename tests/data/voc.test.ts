import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'
import { exportVoc, importVoc } from '@concord/shared/formats/voc/index'
import { dataDir, readFolder } from '../support/image-folder.ts'

const mmdet = path.join(dataDir, 'mmdetection/tests/data')
const wider = path.join(mmdet, 'WIDERFace/WIDER_train/Annotations/0_Parade_marchingband_1_5.xml')

/** The `<bndbox>` corners of a VOC file, read with a regex so the test does not share the parser. */
function corners(xml: string): number[][] {
  return [
    ...xml.matchAll(
      /<bndbox>\s*<xmin>([^<]+)<\/xmin>\s*<ymin>([^<]+)<\/ymin>\s*<xmax>([^<]+)<\/xmax>\s*<ymax>([^<]+)<\/ymax>/g,
    ),
  ].map((m) => m.slice(1, 5).map(Number))
}

type Box = { x: number; y: number; w: number; h: number }

describe('VOC XML from mmdetection', () => {
  it('names the item after the XML file when <filename> names another image, and warns', () => {
    const files = readFolder(path.join(mmdet, 'VOCdevkit'))
    const { dataset, report } = importVoc(files)
    expect(dataset.items.map((i) => i.path)).toEqual(['000001.jpg'])
    expect(report.warnings.some((w) => w.message.includes('000002.jpg'))).toBe(true)
    const xml = readFileSync(path.join(mmdet, 'VOCdevkit/VOC2012/Annotations/000001.xml'), 'utf8')
    const [[xmin, ymin, xmax, ymax]] = corners(xml) as [number[]]
    const region = dataset.items[0]!.regions[0]!
    expect(region).toMatchObject({
      label: 'train',
      attributes: { pose: 'Unspecified', truncated: false, difficult: false },
    })
    expect(region.geometry).toEqual({
      x: xmin! - 1,
      y: ymin! - 1,
      w: xmax! - xmin! + 1,
      h: ymax! - ymin! + 1,
    })
    expect([dataset.items[0]!.width, dataset.items[0]!.height]).toEqual([335, 500])
  })

  it('reads the ten WIDER FACE boxes and writes the same corners back', () => {
    const source = readFileSync(wider, 'utf8')
    const files = new Map([[path.basename(wider), new Uint8Array(Buffer.from(source))]])
    const { dataset } = importVoc(files)
    expect(dataset.items[0]!.regions).toHaveLength(corners(source).length)
    expect(dataset.items[0]!.regions).toHaveLength(10)
    const out = exportVoc(dataset).files
    const written = new TextDecoder().decode(
      [...out.entries()].find(([k]) => k.startsWith('Annotations/'))![1],
    )
    expect(corners(written)).toEqual(corners(source))
  })

  it('carries the WIDER boxes through COCO unchanged', () => {
    const { dataset } = importVoc(
      new Map([[path.basename(wider), new Uint8Array(readFileSync(wider))]]),
    )
    const back = importCoco(exportCoco(dataset).files).dataset
    const boxes = (d: typeof dataset) =>
      d.items.flatMap((i) => i.regions.map((r) => r.geometry as Box))
    expect(boxes(back)).toEqual(boxes(dataset))
  })
})
