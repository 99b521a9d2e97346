import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeText } from '../common/json.ts'
import type { InterchangeDataset, InterchangeItem } from '../model.ts'
import {
  bboxRegion,
  datasetOf,
  keypointsRegion,
  maskRegion,
  polygonRegion,
} from '../test-support/arbitraries.ts'
import { exportDataset } from '../index.ts'
import { importCoco } from './index.ts'
import { writeCocoStream } from './stream.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const labelmeCoco = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_dataset_coco/annotations.json',
)

async function streamed(dataset: InterchangeDataset, asAsync: boolean) {
  async function* one(): AsyncGenerator<InterchangeItem> {
    for (const item of dataset.items) yield item
  }
  const stream = writeCocoStream(
    { labels: dataset.labels, items: asAsync ? one() : dataset.items, meta: dataset.meta },
    { crowd: 'rle' },
  )
  let text = ''
  for await (const chunk of stream.chunks) text += chunk
  return { json: JSON.parse(text), report: stream.report() }
}

/** The whole-file export the server writes otherwise: the dataset fitted, then `exportCoco`. */
function written(dataset: InterchangeDataset) {
  const { files, report } = exportDataset('coco', dataset, { crowd: 'rle' })
  return { json: JSON.parse(decodeText([...files.values()][0]!)), report }
}

const anyRegion = fc.oneof(bboxRegion, polygonRegion, maskRegion, keypointsRegion)

/** Random datasets with a few twists exportCoco handles: undeclared labels, tags, unknown sizes. */
const twistedDataset = fc
  .tuple(datasetOf(anyRegion), fc.boolean(), fc.boolean(), fc.boolean())
  .map(([dataset, dropLabel, tag, unsized]) => {
    const items = dataset.items.map((item, i) => ({
      ...item,
      tags: tag && i === 0 ? ['night'] : [],
      ...(unsized && i === 0 ? { width: undefined, height: undefined } : {}),
    }))
    return { labels: dropLabel ? dataset.labels.slice(1) : dataset.labels, items }
  })

describe('streamed COCO', () => {
  it('parses to what the COCO export writes for random datasets, with the same report', async () => {
    await fc.assert(
      fc.asyncProperty(twistedDataset, fc.boolean(), async (dataset, asAsync) => {
        const a = await streamed(dataset, asAsync)
        const b = written(dataset)
        expect(a.json).toEqual(b.json)
        expect(sortReport(a.report)).toEqual(sortReport(b.report))
      }),
      { numRuns: 150 },
    )
  })

  it('parses to what the COCO export writes for the labelme COCO file read back', async () => {
    const { dataset } = importCoco(new Map([['annotations.json', readFileSync(labelmeCoco)]]))
    expect(dataset.items.some((i) => i.regions.length > 0)).toBe(true)
    const a = await streamed(dataset, true)
    expect(a.json).toEqual(written(dataset).json)
  })

  it('writes a valid file for a dataset without items or labels', async () => {
    const a = await streamed({ labels: [], items: [] }, true)
    expect(a.json).toEqual({ images: [], annotations: [], categories: [] })
  })
})

function sortReport(report: { warnings: unknown[]; lossiness: unknown[] }) {
  const key = (v: unknown) => JSON.stringify(v)
  return {
    warnings: [...report.warnings].sort((x, y) => key(x).localeCompare(key(y))),
    lossiness: [...report.lossiness].sort((x, y) => key(x).localeCompare(key(y))),
  }
}
