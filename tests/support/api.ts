import sharp from 'sharp'

/** Small helpers over Concord's REST API, for tests that drive a real server process. */

async function call<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  const response = await fetch(url, { ...init, headers })
  const text = await response.text()
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

/** Signs in with a password and trades the session for an API token. */
export async function createToken(
  baseUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  })
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const { token } = await call<{ token: string }>(`${baseUrl}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: baseUrl },
    body: JSON.stringify({ name: 'test' }),
  })
  return token
}

/** Creates a project with one generated image and returns the asset's consensus document. */
export async function createProjectWithImage(
  baseUrl: string,
  token: string,
): Promise<{ projectId: string; assetId: string; document: string }> {
  const project = await call<{ id: string }>(`${baseUrl}/api/projects`, {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sync', labels: [{ name: 'car' }, { name: 'person' }] }),
  })
  const png = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 40, g: 120, b: 200 } },
  })
    .png()
    .toBuffer()
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'street.png')
  const uploaded = await call<{ assets: { id: string; document: string }[] }>(
    `${baseUrl}/api/projects/${project.id}/assets`,
    { method: 'POST', token, body: form },
  )
  const asset = uploaded.assets[0]
  if (!asset) throw new Error('upload produced no asset')
  return { projectId: project.id, assetId: asset.id, document: asset.document }
}
