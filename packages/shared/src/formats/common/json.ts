import { parseTree, type ParseError } from 'jsonc-parser'
import type { z } from 'zod'
import { FormatError } from '../model.ts'

const decoder = new TextDecoder('utf-8')
const encoder = new TextEncoder()

/**
 * Decodes UTF-8 text, dropping a byte-order mark. A file too large for one string (V8 stops
 * near 512 MiB) is a FormatError naming it and its size, not a fault of the server.
 */
export function decodeText(bytes: Uint8Array, file = '(input)'): string {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch (error) {
    if (!isStringTooLong(error)) throw error
    const size = `${bytes.length} bytes (${(bytes.length / 1024 ** 2).toFixed(0)} MiB)`
    throw new FormatError(file, undefined, `${size} is too large to read as text`)
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** Node says ERR_STRING_TOO_LONG; browsers throw a RangeError ("Invalid string length"). */
function isStringTooLong(error: unknown): boolean {
  if (error instanceof RangeError) return true
  return (
    !!error && typeof error === 'object' && 'code' in error && error.code === 'ERR_STRING_TOO_LONG'
  )
}

/** Encodes text as UTF-8. */
export function encodeText(text: string): Uint8Array {
  return encoder.encode(text)
}

/** Writes a value as indented JSON bytes. */
export function encodeJson(value: unknown, indent = 2): Uint8Array {
  return encoder.encode(JSON.stringify(value, null, indent) + '\n')
}

/**
 * Parses JSON, turning a syntax error into a FormatError that names the file and the line and
 * column of the fault (the end of the text, for a file cut short).
 */
export function parseJsonText(file: string, text: string, where?: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const at = /at position (\d+)/.exec(message)
    const offset = at
      ? Number(at[1])
      : /end of JSON input/.test(message)
        ? text.length
        : firstErrorOffset(text)
    const place = offset === undefined ? undefined : lineAndColumn(text, offset)
    const reason = message
      .replace(/ at position \d+.*$/s, '')
      .replace(/ in JSON$/, '')
      .replace(/ \(line \d+ column \d+\)$/, '')
      .replace(/, ".*" is not valid JSON$/s, '')
    throw new FormatError(
      file,
      [where, place].filter(Boolean).join(', ') || undefined,
      `not valid JSON: ${reason}`,
    )
  }
}

/**
 * Where strict JSON first goes wrong, for the errors V8 reports without a position (`[1,2,]`,
 * `tru`): jsonc-parser, held to strict JSON, gives each fault's offset.
 */
function firstErrorOffset(text: string): number | undefined {
  const errors: ParseError[] = []
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true })
  return errors[0]?.offset
}

/** `line L, column C` (both from 1) of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  let line = 1
  let start = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1
    start = i + 1
  }
  return `line ${line}, column ${offset - start + 1}`
}

/** Parses JSON bytes; see {@link parseJsonText}. */
export function parseJson(file: string, bytes: Uint8Array): unknown {
  return parseJsonText(file, decodeText(bytes, file))
}

/** Formats a zod issue path as a JSON path: `annotations[3].bbox`. */
export function formatJsonPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '$'
}

/**
 * Validates untrusted input with a zod schema; the first issue becomes a FormatError naming the
 * file and the JSON path of the bad field.
 */
export function parseWithSchema<S extends z.ZodType>(
  file: string,
  schema: S,
  value: unknown,
  prefix = '',
): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new FormatError(
    file,
    formatJsonPath(issue?.path ?? [], prefix),
    issue?.message ?? 'invalid value',
  )
}
