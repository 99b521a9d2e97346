import { describe, expect, it } from 'vitest'
import { rleFromBinary } from '../../geometry/index.ts'
import { decodeText } from '../common/json.ts'
import type { InterchangeDataset } from '../model.ts'
import { exportLabelStudio, importLabelStudio, type LabelStudioExportOptions } from './index.ts'

/** One 4 x 3 image with a region of every kind Label Studio takes, and an image tag. */
function dataset(): InterchangeDataset {
  const base = { label: 'a', attributes: {} }
  const bits = Uint8Array.from({ length: 12 }, (_, i) => (i < 3 ? 1 : 0))
  return {
    labels: [{ name: 'a' }],
    items: [
      {
        ...{ key: 'a.jpg', subset: '', path: 'a.jpg', width: 4, height: 3, tags: ['night'] },
        regions: [
          { ...base, kind: 'bbox', geometry: { x: 1, y: 1, w: 2, h: 1 } },
          { ...base, kind: 'rbox', geometry: { cx: 2, cy: 1.5, w: 2, h: 1, angle: 30 } },
          {
            ...base,
            kind: 'polygon',
            geometry: {
              points: [
                [0, 0],
                [2, 0],
                [1, 2],
              ],
            },
          },
          { ...base, kind: 'point', geometry: { x: 1, y: 1 } },
          {
            ...base,
            kind: 'keypoints',
            geometry: {
              points: [
                { x: 1, y: 1, v: 2 },
                { x: 2, y: 2, v: 2 },
              ],
            },
          },
          { ...base, kind: 'mask', geometry: rleFromBinary(bits, 4, 3) },
        ],
      },
    ],
  }
}

/** `from_name` of each result, by result type, as exported. */
function fromNames(options?: LabelStudioExportOptions): Record<string, string[]> {
  const { files } = exportLabelStudio(dataset(), options)
  const tasks = JSON.parse(decodeText(files.get('tasks.json')!)) as {
    annotations: { result: { type: string; from_name: string }[] }[]
  }[]
  const out: Record<string, string[]> = {}
  for (const result of tasks[0]!.annotations[0]!.result) {
    const names = (out[result.type] ??= [])
    if (!names.includes(result.from_name)) names.push(result.from_name)
  }
  return out
}

describe('Label Studio export from_name', () => {
  it('names each control as a one-control-per-kind config does', () => {
    expect(fromNames()).toEqual({
      rectanglelabels: ['label'],
      polygonlabels: ['polygon'],
      keypointlabels: ['keypoint'],
      brushlabels: ['brush'],
      choices: ['choice'],
    })
  })

  it('takes names per control from fromNames, keeping the defaults of the others', () => {
    const names = fromNames({ fromNames: { rectanglelabels: 'box', brushlabels: 'tag' } })
    expect(names.rectanglelabels).toEqual(['box'])
    expect(names.brushlabels).toEqual(['tag'])
    expect(names.polygonlabels).toEqual(['polygon'])
  })

  it('gives every region control the one fromName, and the choices choiceFromName', () => {
    const names = fromNames({ fromName: 'objects', choiceFromName: 'scene' })
    expect(names).toEqual({
      rectanglelabels: ['objects'],
      polygonlabels: ['objects'],
      keypointlabels: ['objects'],
      brushlabels: ['objects'],
      choices: ['scene'],
    })
  })

  it('reads back the same regions and tags whatever the names', () => {
    const shapes = (d: InterchangeDataset) =>
      d.items.flatMap((i) => [...i.tags, ...i.regions.map((r) => `${r.kind}:${r.label}`)])
    const expected = shapes(importLabelStudio(exportLabelStudio(dataset()).files).dataset)
    expect(expected).toHaveLength(7)
    for (const options of [
      { fromName: 'objects', choiceFromName: 'scene' },
      { fromNames: { polygonlabels: 'p', keypointlabels: 'k', choices: 'c' } },
    ]) {
      const back = importLabelStudio(exportLabelStudio(dataset(), options).files).dataset
      expect(shapes(back)).toEqual(expected)
    }
  })
})
