import { describe, expect, it } from 'vitest'
import { importConcord } from '../concord/index.ts'
import { importCoco } from '../coco/index.ts'
import { importCvat } from '../cvat/index.ts'
import { FormatError } from '../model.ts'
import { importYolo } from '../yolo/index.ts'
import { decodeText, parseJsonText } from './json.ts'

/**
 * Past V8's longest string (0x1fffffe8 characters, about 512 MiB). Zero-filled memory is only
 * reserved, and the decoder refuses before reading it, so the test stays cheap.
 */
const TOO_LONG = new Uint8Array(0x1fffffe8 + 16)

function formatErrorOf(read: () => unknown): FormatError {
  try {
    read()
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  throw new Error('expected a FormatError')
}

describe('decodeText', () => {
  it('drops a byte-order mark', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a')
  })

  it('refuses a file too large for one string, naming it and its size', () => {
    const error = formatErrorOf(() => decodeText(TOO_LONG, 'big.json'))
    expect(error.file).toBe('big.json')
    expect(error.message).toMatch(/536870904 bytes \(512 MiB\) is too large to read as text/)
  })

  it('names the file in every importer that reads text', () => {
    const cases: [string, () => unknown][] = [
      ['instances.json', () => importCoco(new Map([['instances.json', TOO_LONG]]))],
      ['a.xml', () => importCvat(new Map([['a.xml', TOO_LONG]]))],
      ['d.jsonl', () => importConcord(new Map([['d.jsonl', TOO_LONG]]))],
      [
        'labels/a.txt',
        () =>
          importYolo(
            new Map([
              ['images/a.jpg', new Uint8Array([0xff, 0xd8])],
              ['labels/a.txt', TOO_LONG],
            ]),
          ),
      ],
    ]
    for (const [file, read] of cases) {
      const error = formatErrorOf(read)
      expect(error.file).toBe(file)
      expect(error.message).toMatch(/too large to read as text/)
    }
  })
})

function failure(text: string): FormatError {
  try {
    parseJsonText('a.json', text)
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  throw new Error('parsed')
}

describe('parseJsonText', () => {
  it('names the line and column of a syntax error', () => {
    const error = failure('{\n  "images": [],\n  oops: 1\n}')
    expect(error.file).toBe('a.json')
    expect(error.where).toBe('line 3, column 3')
    expect(error.message).toMatch(/not valid JSON/)
  })

  it('places the errors V8 gives without a position: a trailing comma, a bad literal', () => {
    expect(failure('{\n  "ids": [1, 2,]\n}').where).toBe('line 2, column 16')
    expect(failure('[\n  true,\n  nope\n]').where).toBe('line 3, column 3')
    expect(failure('[\n  1,\n]').where).toBe('line 3, column 1')
    expect(failure('[\n  1,\n]').message).toMatch(/not valid JSON: Unexpected token '\]'$/)
    expect(failure('{"a": 1}\n]').message).toMatch(/non-whitespace character after JSON$/)
  })

  it('places a file cut short at its end', () => {
    expect(failure('{\n  "images": [\n    {"id": 1').where).toBe('line 3, column 13')
  })
})
