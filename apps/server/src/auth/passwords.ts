import { hash, verify } from '@node-rs/argon2'

/** Hashes a password with argon2id (the library's default), salted and memory-hard. */
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

/** True when `password` matches `passwordHash`; false for a malformed hash rather than a throw. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/**
 * A hash of a random password, verified against when the email is unknown so that a failed
 * login takes as long whether or not the account exists.
 */
let decoyHash: Promise<string> | undefined
export function getDecoyHash(): Promise<string> {
  decoyHash ??= hash(`decoy-${Math.random()}`)
  return decoyHash
}
