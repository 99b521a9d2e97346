import type { Context } from 'hono'
import type { z } from 'zod'
import { AppError, fromZodError } from './errors.ts'

/**
 * Reads a JSON body and parses it with `schema`. A body that is not JSON at all and one that
 * does not fit both answer 400; the latter names the bad field's path.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown
  try {
    const text = await c.req.text()
    body = text.trim() === '' ? {} : JSON.parse(text)
  } catch (error) {
    throw new AppError('invalid_body', 'The body is not valid JSON', { path: [] }, { cause: error })
  }
  return parseWith(schema, body, 'body')
}

/** Parses untrusted input (query, params, body) with `schema`, throwing a 400 naming the field. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw fromZodError(parsed.error, where)
  return parsed.data
}
