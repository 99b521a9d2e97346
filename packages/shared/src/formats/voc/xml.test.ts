import { describe, expect, it } from 'vitest'
import { FormatError } from '../model.ts'
import { parseXml } from './xml.ts'

/** The FormatError parsing `text` as `a.xml` throws. */
function refusal(text: string): FormatError {
  try {
    parseXml('a.xml', text, [])
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  throw new Error('parsed without an error')
}

describe('parseXml refusals', () => {
  it('refuses a DOCTYPE declaring an external entity, at the DOCTYPE, reading nothing', () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<a>&e;</a>`
    const error = refusal(text)
    expect(error.file).toBe('a.xml')
    expect(error.where).toBe('line 2:1 (DOCTYPE)')
    expect(error.message).toMatch(/declares entities, which are not read/)
  })

  it('refuses every entity declaration: parameter, nested, expanding past a limit, plain', () => {
    const big = 'x'.repeat(9_000)
    for (const text of [
      '<!DOCTYPE a [<!ENTITY % p "x">]>\n<a/>',
      `<!DOCTYPE a [<!ENTITY e "${big}">]>\n<a>${'&e;'.repeat(20)}</a>`,
      '<!DOCTYPE a [<!ENTITY dog "Dog"> <!ENTITY big "&dog;&dog;">]>\n<a>&big;</a>',
      '<!DOCTYPE a [<!ENTITY dog "Dog">]>\n<a>&dog;</a>',
    ]) {
      expect(refusal(text).where, text).toBe('line 1:1 (DOCTYPE)')
    }
    // A DOCTYPE without entities is read.
    expect(parseXml('a.xml', '<!DOCTYPE a>\n<a>x</a>', [])).toMatchObject({ a: 'x' })
  })

  it('places a file cut short where its text ends, naming the tags left open', () => {
    const text = '<annotation>\n  <object>\n    <bndbox>\n      <xmin>1</xmin>\n      <yma'
    const error = refusal(text)
    expect(error.where).toBe('line 5:11')
    expect(error.message).toMatch(/tags unclosed: annotation, object, bndbox, yma$/)
  })

  it('places a file cut short inside its root where the text ends, with where the root opened', () => {
    const error = refusal('<?xml version="1.0"?>\n<annotation>\n  <folder>VOC</folder>\n\n')
    expect(error.where).toBe('line 3:23')
    expect(error.message).toMatch(/tag unclosed: annotation \(opened at line 2:1\)$/)
  })

  it('keeps the line and column of other malformed XML', () => {
    expect(refusal('<a>\n  <b></c>\n</a>').where).toBe('line 2:6')
    expect(refusal('').where).toBe('line 1')
  })
})
