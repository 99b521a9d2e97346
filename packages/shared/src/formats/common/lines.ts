import { FormatError } from '../model.ts'

/**
 * The lines of a text with their numbers (from 1), ended by `\n` or `\r\n`, read one at a time
 * rather than split into an array: a label file of a hundred million blank lines (a zip of a
 * few hundred kilobytes) stays a loop instead of taking the server's memory. Blank lines
 * (whitespace only) are passed over when `skipBlank` is set, without being cut out of the text.
 */
export function* textLines(
  text: string,
  { skipBlank = false }: { skipBlank?: boolean } = {},
): Generator<[line: string, number: number]> {
  let start = 0
  let number = 1
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end
    if (!skipBlank || (stop > start && !isBlank(text, start, stop))) {
      yield [text.slice(start, stop), number]
    }
    start = end + 1
    number += 1
  }
}

function isBlank(text: string, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = text.charCodeAt(i)
    // Space, tab, vertical tab, form feed, carriage return, no-break space, byte-order mark.
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13 && c !== 0xa0 && c !== 0xfeff)
      return false
  }
  return true
}

/** More classes than any dataset has: a names list past it is not one. */
const MAX_CLASSES = 1_000_000

/**
 * Class names, one a line (darknet's `obj.names`, labelme2voc's `class_names.txt`). A blank
 * line inside the list is a class without a name (darknet counts it), which its readers leave
 * out and report like any shape without a label; blank lines at the end close the list.
 */
export function readNameList(file: string, text: string): string[] {
  const names: string[] = []
  let blanks = 0
  for (const [line, number] of textLines(text)) {
    const name = line.trim()
    if (name === '') {
      blanks += 1
      continue
    }
    if (names.length + blanks >= MAX_CLASSES) {
      throw new FormatError(file, `line ${number}`, `more than ${MAX_CLASSES} class names`)
    }
    for (; blanks > 0; blanks--) names.push('')
    names.push(name)
  }
  return names
}
