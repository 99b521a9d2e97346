import type { Label, RegionKind } from '@concord/shared'

export type User = { id: string; email: string; name: string; isAdmin: boolean }
export type Role = 'annotator' | 'reviewer' | 'lead'
export type Project = { id: string; name: string; createdAt: string; role: Role; labels: Label[] }
export type Asset = {
  id: string
  projectId: string
  fileName: string
  width: number
  height: number
  document: string
  regionCount: number
  imageUrl: string
  thumbnailUrl: string
}
export type Member = { userId: string; email: string; name: string; role: Role }
export type ApiToken = { id: string; name: string; createdAt: string }
export type LabelDraft = {
  name: string
  color?: string
  hotkey?: number | null
  kinds?: RegionKind[]
}
export type UploadRefusal = { fileName: string; code: string; message: string }

/** An error answer from the API, with the server's code and, for bad input, the field path. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/** Calls the API with the session cookie; JSON in, JSON out, errors as ApiError. */
export async function api<T>(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<T> {
  const { json, ...rest } = init
  const headers = new Headers(rest.headers)
  if (json !== undefined) headers.set('content-type', 'application/json')
  const res = await fetch(path, {
    ...rest,
    headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    credentials: 'same-origin',
  })
  if (res.status === 204) return undefined as T
  const text = await res.text()
  const body: unknown = text ? safeJson(text) : undefined
  if (!res.ok) {
    const err = (
      body as { error?: { code?: string; message?: string; details?: unknown } } | undefined
    )?.error
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? res.statusText,
      err?.details,
    )
  }
  return body as T
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A readable line for any error thrown by a query or mutation. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
