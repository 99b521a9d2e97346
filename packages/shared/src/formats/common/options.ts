import { FormatError } from '../model.ts'

/**
 * Reads an option that takes one of a closed set of values. Options arrive from query strings,
 * so a misspelt value must be refused rather than taken for the default: a VOC convention
 * misread shifts every box by a pixel.
 */
export function chooseOption<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  throw new FormatError(
    'options',
    name,
    `${JSON.stringify(value)} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
  )
}
