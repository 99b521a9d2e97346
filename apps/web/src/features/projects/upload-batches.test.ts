import { describe, expect, it } from 'vitest'
import {
  planBatches,
  sendInBatches,
  type BatchAnswer,
  type UploadProgress,
} from './upload-batches.ts'

const MiB = 1024 * 1024

function items(sizes: number[]) {
  return sizes.map((size, i) => ({ file: { size }, path: `f${i}.jpg` }))
}

describe('upload batches', () => {
  it('cuts a long list by file count', () => {
    const batches = planBatches(items(Array(70).fill(10)), { maxFiles: 32, maxBytes: 64 * MiB })
    expect(batches.map((b) => b.length)).toEqual([32, 32, 6])
  })

  it('cuts by bytes and sends a file over the byte limit alone', () => {
    const batches = planBatches(items([30 * MiB, 30 * MiB, 30 * MiB, 100 * MiB, 1 * MiB]), {
      maxFiles: 32,
      maxBytes: 64 * MiB,
    })
    expect(batches.map((b) => b.map((i) => i.path))).toEqual([
      ['f0.jpg', 'f1.jpg'],
      ['f2.jpg'],
      ['f3.jpg'],
      ['f4.jpg'],
    ])
  })

  it('keeps every item exactly once and in order', () => {
    const list = items(Array.from({ length: 200 }, (_, i) => ((i * 7919) % 13) * MiB))
    const flat = planBatches(list, { maxFiles: 9, maxBytes: 20 * MiB }).flat()
    expect(flat).toEqual(list)
  })

  it('goes on after a batch fails whole and lists its files as refused', async () => {
    const list = items(Array(5).fill(1))
    const progress: UploadProgress[] = []
    let call = 0
    const outcome = await sendInBatches(
      list,
      async (batch): Promise<BatchAnswer> => {
        call += 1
        if (call === 2) throw new Error('The upload is larger than the server accepts')
        return { stored: batch.length - 1, refusals: [{ fileName: batch[0]!.path, message: 'x' }] }
      },
      (p) => progress.push(p),
      { maxFiles: 2, maxBytes: MiB },
    )
    expect(call).toBe(3)
    expect(outcome.stored).toBe(1)
    expect(outcome.total).toBe(5)
    expect(outcome.refusals.map((r) => r.fileName)).toEqual([
      'f0.jpg',
      'f2.jpg',
      'f3.jpg',
      'f4.jpg',
    ])
    expect(progress).toEqual([
      { done: 0, total: 5 },
      { done: 2, total: 5 },
      { done: 4, total: 5 },
      { done: 5, total: 5 },
    ])
  })

  it('takes the per-file list from a request the server refused whole, sizes in MiB', async () => {
    const error = Object.assign(new Error('Larger than the limit of 52428800 bytes'), {
      details: {
        errors: [{ fileName: 'big.jpg', message: 'Larger than the limit of 52428800 bytes' }],
      },
    })
    const outcome = await sendInBatches(items([1]), async () => {
      throw error
    })
    expect(outcome.refusals).toEqual([
      { fileName: 'big.jpg', message: 'Larger than the limit of 50 MiB' },
    ])
  })
})
