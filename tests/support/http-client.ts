/**
 * A tiny API client for test setup: signs in, keeps the session cookie and sends the Origin
 * header that the server's CSRF check expects from a browser on the same origin.
 */
export class ApiClient {
  private cookie = ''

  constructor(readonly baseUrl: string) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl)
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ email, password }),
    })
    if (!res.ok) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`)
    client.cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')
    return client
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { origin: this.baseUrl, cookie: this.cookie }
    let payload: BodyInit | undefined
    if (body instanceof FormData) payload = body
    else if (body !== undefined) {
      headers['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} failed: ${res.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
}
