/**
 * A count with its noun in the right number: `countOf(1, 'warning')` is "1 warning",
 * `countOf(3, 'warning')` is "3 warnings". Nouns whose plural is not the singular plus "s" pass it.
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`
}

/** The first `limit` items of a long list and how many were left out, for "and N more". */
export function firstOf<T>(items: readonly T[], limit: number): { shown: T[]; more: number } {
  // A list one over the limit reads better whole than with "and 1 more".
  if (items.length <= limit + 1) return { shown: [...items], more: 0 }
  return { shown: items.slice(0, limit), more: items.length - limit }
}
