import { randomBytes } from 'node:crypto'

/** URL-safe random ids; 16 bytes is enough that collisions never need handling. */
export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url')
}
