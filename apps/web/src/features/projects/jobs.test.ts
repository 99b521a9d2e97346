import { describe, expect, it } from 'vitest'
import {
  cancelErrorIsStale,
  takeNewImportSuccesses,
  warningsOf,
  warningText,
  type Job,
} from './jobs.ts'

function job(patch: Partial<Job> = {}): Job {
  return {
    id: 'j1',
    kind: 'export',
    format: 'coco',
    state: 'succeeded',
    progress: { phase: null, done: 0, total: 0 },
    result: null,
    summary: null,
    error: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...patch,
  }
}

describe('job warnings', () => {
  it("lists an export report's warnings, not only its lossiness", () => {
    const exported = job({
      summary: {
        report: {
          warnings: [
            { code: 'clipped', message: 'box clipped to the image', count: 118 },
            { code: 'other', message: 'no val subset' },
          ],
          lossiness: [{ kind: 'mask', count: 2, reason: 'YOLO detect has no masks' }],
        },
      },
    })
    expect(warningsOf(exported).map(warningText)).toEqual([
      'box clipped to the image (118)',
      'no val subset',
    ])
  })

  it("lists an import's warnings with their file, place and count", () => {
    const imported = job({
      kind: 'import',
      summary: {
        warnings: [
          { code: 'clamped', message: 'box clamped', file: 'a.json', path: '$.annotations[3]' },
          { code: 'unmatched-image', message: 'no asset for 12 images', count: 12 },
        ],
      },
    })
    expect(warningsOf(imported).map(warningText)).toEqual([
      'a.json at $.annotations[3]: box clamped',
      'no asset for 12 images (12)',
    ])
  })

  it('has none for a job without a summary', () => {
    expect(warningsOf(job())).toEqual([])
  })
})

describe('a failed cancel', () => {
  it('is stale once its job has come to an end', () => {
    expect(cancelErrorIsStale('running', job({ state: 'succeeded' }))).toBe(true)
    expect(cancelErrorIsStale('queued', job({ state: 'cancelled' }))).toBe(true)
  })

  it('stays while the job runs, or when the job had already ended as it failed', () => {
    expect(cancelErrorIsStale('queued', job({ state: 'running' }))).toBe(false)
    expect(cancelErrorIsStale('succeeded', job({ state: 'succeeded' }))).toBe(false)
    expect(cancelErrorIsStale('running', undefined)).toBe(false)
  })
})

describe('imports that have just succeeded', () => {
  it('are taken once each', () => {
    const seen = new Set<string>()
    const running = job({ id: 'i1', kind: 'import', state: 'running' })
    expect(takeNewImportSuccesses([running], seen, false)).toEqual([])
    const done = { ...running, state: 'succeeded' as const }
    expect(takeNewImportSuccesses([done, job({ id: 'e1' })], seen, false)).toEqual([done])
    expect(takeNewImportSuccesses([done], seen, false)).toEqual([])
  })

  it('are old news on the first look at a list kept from before', () => {
    const seen = new Set<string>()
    const done = job({ id: 'i1', kind: 'import' })
    expect(takeNewImportSuccesses([done], seen, true)).toEqual([])
    expect(takeNewImportSuccesses([done], seen, false)).toEqual([])
  })
})
