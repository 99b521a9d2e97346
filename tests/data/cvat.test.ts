import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCvat, importCvat } from '@concord/shared/formats/cvat/index'
import type { InterchangeDataset } from '@concord/shared/formats/model'
import { exportVoc } from '@concord/shared/formats/voc/index'
import { exportYolo } from '@concord/shared/formats/yolo/index'
import { dataDir, readFolder, sizeOfImages } from '../support/image-folder.ts'

const cvatDir = path.join(dataDir, 'datumaro/tests/assets/cvat_dataset')

/** Regions as sorted text with numbers at 6 decimals, to compare two imports. */
function summary(dataset: InterchangeDataset): string[] {
  const round = (_k: string, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) : v)
  return dataset.items
    .flatMap((item) =>
      item.regions.map((r) =>
        JSON.stringify(
          [item.key, r.kind, r.label, r.geometry, Object.entries(r.attributes).sort()],
          round,
        ),
      ),
    )
    .sort()
}

describe('CVAT XML made by CVAT (datumaro fixtures)', () => {
  it('reads a project export: one file name in three subsets, typed attributes, every shape kind', async () => {
    const files = readFolder(path.join(cvatDir, 'for_images/export_project'))
    const { dataset, report } = importCvat(files)
    expect(report.warnings).toEqual([])
    expect(dataset.labels.map((l) => l.name)).toEqual(['label1', 'label2'])
    expect(new Set(dataset.items.map((i) => i.subset))).toEqual(
      new Set(['Train', 'Test', 'Validation']),
    )
    const sizeOf = await sizeOfImages(files)
    for (const item of dataset.items) {
      // The XML's sizes agree with the images stored beside it under images/<subset>/.
      expect(sizeOf(`images/${item.subset}/${item.path}`)).toEqual({
        width: item.width,
        height: item.height,
      })
    }
    const box = dataset.items
      .find((i) => i.key === 'Train:img0.jpg')!
      .regions.find((r) => r.kind === 'bbox')!
    expect(box.attributes).toEqual({
      a1: true,
      a2: 'v3',
      a3: '0003',
      a4: 2.4,
      occluded: true,
      z_order: 1,
    })
    const kinds = new Set(dataset.items.flatMap((i) => i.regions.map((r) => r.kind)))
    expect(kinds).toEqual(new Set(['bbox', 'polyline', 'polygon', 'keypoints']))
  })

  it('leaves out and reports the shapes without a label in a task export', () => {
    const { dataset, report } = importCvat(readFolder(path.join(cvatDir, 'for_images/export_task')))
    expect(dataset.items).toHaveLength(2)
    expect(dataset.items.flatMap((i) => i.regions).every((r) => r.label !== '')).toBe(true)
    expect(report.warnings.filter((w) => w.code === 'skipped')).toHaveLength(2)
  })

  it('reads video tracks frame by frame', () => {
    const { dataset } = importCvat(readFolder(path.join(cvatDir, 'for_video')))
    expect(dataset.items.length).toBeGreaterThan(0)
    expect(dataset.items.every((i) => i.width === 25 && i.height === 20)).toBe(true)
  })

  it.each(['for_images/export_project', 'for_images/export_task', 'for_video'])(
    'exports %s and reads the same regions back',
    (folder) => {
      const { dataset } = importCvat(readFolder(path.join(cvatDir, folder)))
      const back = importCvat(exportCvat(dataset).files).dataset
      expect(summary(back)).toEqual(summary(dataset))
      expect(back.items.map((i) => i.key)).toEqual(dataset.items.map((i) => i.key))
    },
  )

  it('reports what YOLO and VOC cannot carry when the project goes there', () => {
    const { dataset } = importCvat(readFolder(path.join(cvatDir, 'for_images/export_project')))
    const yolo = exportYolo(dataset, { task: 'segment' }).report.lossiness.map((l) => l.kind)
    expect(yolo).toEqual(expect.arrayContaining(['polyline', 'keypoints', 'attribute']))
    const voc = exportVoc(dataset).report.lossiness.map((l) => l.kind)
    expect(voc).toEqual(expect.arrayContaining(['polygon', 'polyline', 'keypoints']))
  })
})
