import { describe, expect, it } from 'vitest'
import { exportCoco } from '../coco/export.ts'
import { FormatError } from '../model.ts'
import { importVoc } from '../voc/import.ts'
import { exportYolo } from '../yolo/export.ts'
import { chooseOption } from './options.ts'

const empty = { labels: [], items: [] }

describe('format options', () => {
  it('takes a listed value and falls back when none is given', () => {
    expect(chooseOption('task', 'obb', ['detect', 'obb'] as const, 'detect')).toBe('obb')
    expect(chooseOption('task', undefined, ['detect', 'obb'] as const, 'detect')).toBe('detect')
  })

  it('refuses a misspelt value, naming the option and what it takes', () => {
    expect(() => importVoc(new Map(), { convention: '1-based' as never })).toThrow(
      /convention: "1-based" is not one of "one-based", "zero-based-continuous"/,
    )
    expect(() => exportYolo(empty, { task: 'classify' as never })).toThrow(FormatError)
    expect(() => exportCoco(empty, { crowd: 'drop' as never })).toThrow(/crowd/)
  })
})
