import { createHash, randomBytes } from 'node:crypto'

/** 32 random bytes: far beyond guessing, short enough for a cookie or a header. */
const SECRET_BYTES = 32

/** A new random secret (session id, API token body), URL-safe. */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url')
}

/**
 * SHA-256 of a secret, hex. Secrets are high-entropy, so a fast hash is enough to keep a
 * leaked table from being replayed; passwords use argon2 instead.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
