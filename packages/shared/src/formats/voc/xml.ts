import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import { FormatError } from '../model.ts'

/** A parsed XML element: attributes under `@_name`, children by tag, text under `#text`. */
export type XmlNode = Record<string, unknown>

/**
 * Parses XML into plain objects, leaving every value a string so that `<depth/>`, `0.0597` and
 * `Unspecified` all survive as written. Tags listed in `arrays` are always arrays. Malformed XML
 * is a FormatError with the line and column; so is a DOCTYPE declaring entities, and anything
 * the parser refuses after the validator let it pass.
 */
export function parseXml(file: string, text: string, arrays: readonly string[]): XmlNode {
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw invalidXml(file, text, valid.err)
  // Entities a DOCTYPE declares are refused whole: the parser would expand some, leave others
  // (nested, undefined) as literal `&name;` text that becomes label names, and VOC and CVAT
  // files declare none.
  const doctype = text.indexOf('<!DOCTYPE')
  if (doctype >= 0 && text.includes('<!ENTITY', doctype)) {
    throw new FormatError(
      file,
      `${placeOf(text, doctype)} (DOCTYPE)`,
      'declares entities, which are not read (VOC and CVAT files have none); expand them and import again',
    )
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // Numeric character references (`&#233;`, `&#xE9;`) are decoded only with this option; it
    // also reads HTML's named entities (`&nbsp;`), which XML leaves undefined and the validator
    // lets through. Its replacement, `entityDecoder`, needs a package of its own.
    htmlEntities: true,
    isArray: (name) => arrays.includes(name),
    // Each element remembers where it starts, for the order of children of different tags.
    captureMetaData: true,
  })
  try {
    return parser.parse(text) as XmlNode
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new FormatError(file, placeOfParserError(text, message), `cannot be read: ${message}`)
  }
}

type ValidationError = { msg: string; line: number; col?: number }

/**
 * The validator's error as a FormatError. Tags still open when the text runs out (a file cut
 * short) are placed where the text ends, not where the validator puts them (line 1:1 for
 * several), and listed outermost first.
 */
function invalidXml(file: string, text: string, err: ValidationError): FormatError {
  const several = /^Invalid '(\[.*\])' found\.$/s.exec(err.msg)
  const one = /^Unclosed tag '(.*)'\.$/s.exec(err.msg)
  if (several || one) {
    const end = placeOf(text, text.trimEnd().length)
    const tags = several
      ? (JSON.parse(several[1]!) as string[]).join(', ')
      : `${one![1]!} (opened at line ${err.line}:${err.col})`
    const count = several ? 'tags' : 'tag'
    return new FormatError(file, end, `the text ends with ${count} unclosed: ${tags}`)
  }
  const where = err.col === undefined ? `line ${err.line}` : `line ${err.line}:${err.col}`
  return new FormatError(file, where, err.msg)
}

/**
 * Where a parser error lies. The parser names a position for a few faults only; what it refuses
 * in a DOCTYPE (external or parameter entities, malformed declarations) and entities expanding
 * past its limits come from the DOCTYPE, so that is the place given.
 */
function placeOfParserError(text: string, message: string): string | undefined {
  const at = /at position (\d+)/.exec(message)
  // The parser counts in the text with its line ends made `\n`.
  if (at) return placeOf(text.replace(/\r\n?/g, '\n'), Number(at[1]))
  const doctype = text.indexOf('<!DOCTYPE')
  const fromDoctype = /DOCTYPE|entit|notation|element|attribute|SYSTEM|PUBLIC|identifier|quoted/i
  if (doctype >= 0 && fromDoctype.test(message)) return `${placeOf(text, doctype)} (DOCTYPE)`
  return undefined
}

/** `line L:C` (both from 1) of a character offset, as the validator writes places. */
function placeOf(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r?\n/)
  return `line ${before.length}:${before[before.length - 1]!.length + 1}`
}

const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol

/**
 * Where a parsed element starts in its file's text. Children are grouped by tag; sorting
 * elements of several tags by this gives back the order the file had them in.
 */
export function positionOf(node: XmlNode): number {
  const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[METADATA]
  return meta?.startIndex ?? 0
}

/**
 * The key of a child list written in the order given, across tags: `[tag, element]` pairs.
 * Only {@link buildOrderedXml} writes it.
 */
export const IN_ORDER = '#inOrder'

/** How every XML file is written: attributes as `@_name`, indented, empty elements closed. */
const BUILDER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
} as const

/**
 * Like {@link buildXml}, but the children listed under {@link IN_ORDER} are written in their
 * order, tags interleaved (CVAT's shapes), where plain objects would group them by tag.
 */
export function buildOrderedXml(root: XmlNode): string {
  const builder = new XMLBuilder({ ...BUILDER_OPTIONS, preserveOrder: true })
  const body = (builder.build(orderedChildren(root)) as string).trim()
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`
}

type OrderedElement = Record<string, unknown>

/** The children of a plain node in fast-xml-parser's ordered form. */
function orderedChildren(node: XmlNode): OrderedElement[] {
  const out: OrderedElement[] = []
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || value === undefined) continue
    if (key === '#text') out.push({ '#text': value })
    else if (key === IN_ORDER) {
      for (const [tag, child] of value as [string, XmlNode][]) out.push(orderedElement(tag, child))
    } else if (Array.isArray(value)) {
      for (const child of value) out.push(orderedElement(key, child))
    } else out.push(orderedElement(key, value))
  }
  return out
}

function orderedElement(tag: string, value: unknown): OrderedElement {
  if (value === null || typeof value !== 'object') return { [tag]: [{ '#text': value }] }
  const node = value as XmlNode
  const attributes = Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith('@_')))
  return {
    [tag]: orderedChildren(node),
    ...(Object.keys(attributes).length > 0 ? { ':@': attributes } : {}),
  }
}

/** Serialises plain objects (same shape as {@link parseXml} returns) as indented XML. */
export function buildXml(root: XmlNode): string {
  const builder = new XMLBuilder(BUILDER_OPTIONS)
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build(root) as string}`
}

/** The text of a child element, or undefined when it is absent. */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined
  if (typeof node === 'string') return node
  if (typeof node === 'object' && '#text' in node) return String((node as XmlNode)['#text'])
  if (typeof node === 'object') return ''
  return String(node)
}

/** A child element as an object; an empty element (`<size/>`) reads as an empty one. */
export function childOf(node: XmlNode, tag: string): XmlNode | undefined {
  const child = node[tag]
  if (child === undefined || child === null) return undefined
  if (typeof child === 'object' && !Array.isArray(child)) return child as XmlNode
  return {}
}

/** A child list, for tags parsed as arrays. */
export function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const child = node[tag]
  if (!Array.isArray(child)) return []
  return child.map((c) => (c && typeof c === 'object' ? (c as XmlNode) : {}))
}

/**
 * A scalar as the most specific value it spells: `true`/`false` become booleans, plain numbers
 * become numbers (`0`/`1` too; the caller decides whether they are flags), `''` becomes null.
 */
export function scalarOf(text: string): string | number | boolean | null {
  if (text === '') return null
  if (text === 'true' || text === 'True') return true
  if (text === 'false' || text === 'False') return false
  // `0003` stays text: its zeros mean something to whoever wrote it.
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text
}

/** Writes a coordinate with at most 6 decimals and no trailing zeros. */
export function formatCoordinate(value: number): string {
  const rounded = Math.round(value * 1e6) / 1e6
  return String(Object.is(rounded, -0) ? 0 : rounded)
}
