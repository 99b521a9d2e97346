import { describe, expect, it } from 'vitest'
import { FormatError } from '../model.ts'
import { parseJsonText } from './json.ts'

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

  it('places a file cut short at its end', () => {
    expect(failure('{\n  "images": [\n    {"id": 1').where).toBe('line 3, column 13')
  })
})
