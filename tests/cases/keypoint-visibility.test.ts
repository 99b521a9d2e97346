import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const caseDir = path.resolve(repoRoot, '../shared/cases/keypoint-visibility')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const input = path.join(caseDir, 'input_coco.json')
const source = JSON.parse(readFileSync(input, 'utf8'))

describe('keypoint-visibility', () => {
  it('brings keypoints and num_keypoints back unchanged after import and export', () => {
    const { dataset } = importCoco(
      new Map([['input_coco.json', new Uint8Array(readFileSync(input))]]),
    )
    const out = JSON.parse(new TextDecoder().decode([...exportCoco(dataset).files.values()][0]))
    expect(out.annotations).toHaveLength(1)
    expect(out.annotations[0].keypoints).toEqual(expected.after_import_export.keypoints)
    expect(out.annotations[0].num_keypoints).toBe(expected.after_import_export.num_keypoints)
    // The person box and the skeleton travel with the keypoints.
    expect(out.annotations[0].bbox).toEqual(source.annotations[0].bbox)
    expect(out.categories[0].keypoints).toEqual(source.categories[0].keypoints)
    expect(out.categories[0].skeleton).toEqual(source.categories[0].skeleton)
  })

  it('survives two round trips', () => {
    let files = new Map([['input_coco.json', new Uint8Array(readFileSync(input))]])
    for (let i = 0; i < 2; i++) files = exportCoco(importCoco(files).dataset).files
    const out = JSON.parse(new TextDecoder().decode([...files.values()][0]))
    expect(out.annotations[0].keypoints).toEqual(expected.after_import_export.keypoints)
  })
})
