import { z } from 'zod'
import type { AuthUser } from '../../auth/authenticate.ts'
import { hashPassword } from '../../auth/passwords.ts'
import type { Db } from '../../db/client.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { insertUser } from './queries.ts'

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
})

export const createUserBodySchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(200),
  // Eight characters is the floor NIST suggests; argon2 makes each guess expensive.
  password: z.string().min(8).max(1024),
  isAdmin: z.boolean().optional(),
})

/** Creates an account; 409 when the email is taken. Emails are compared lower-cased. */
export async function createUser(
  db: Db,
  input: z.infer<typeof createUserBodySchema>,
): Promise<AuthUser> {
  const passwordHash = await hashPassword(input.password)
  const user = await insertUser(db, {
    id: newId(),
    email: input.email,
    name: input.name,
    isAdmin: input.isAdmin ?? false,
    passwordHash,
  })
  if (!user) throw new AppError('conflict', 'A user with this email exists', { path: ['email'] })
  return user
}
