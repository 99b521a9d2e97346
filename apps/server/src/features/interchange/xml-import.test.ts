import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp, type TestRequestInit } from '../../lib/testing.ts'

let t: TestApp
let lead: string

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
})
afterAll(() => t.close())

async function newProject(name: string): Promise<string> {
  const res = await t.request('/api/projects', { json: { name }, cookie: lead })
  return (await res.json()).id
}

function importBody(projectId: string, query: string, body: string | Uint8Array, type: string) {
  return t.request(`/api/projects/${projectId}/import?${query}`, {
    body: body as TestRequestInit['body'],
    headers: { 'content-type': type },
    cookie: lead,
  })
}

describe('XML imports refuse what they cannot read safely', () => {
  const doctype = '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/hostname">]>'

  it.each([
    ['voc', `${doctype}\n<annotation><filename>a.jpg</filename><folder>&e;</folder></annotation>`],
    ['cvat', `${doctype}\n<annotations><version>1.1</version><meta>&e;</meta></annotations>`],
  ])(
    'answers 400 naming the file and line of a %s DOCTYPE with an external entity',
    async (format, xml) => {
      const projectId = await newProject(`DOCTYPE ${format}`)
      const res = await importBody(
        projectId,
        `format=${format}&fileName=annotations.xml`,
        xml,
        'application/xml',
      )
      const body = await res.json()
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(body.error.code).toBe('invalid_format')
      expect(body.error.details).toMatchObject({
        file: 'annotations.xml',
        where: 'line 1:1 (DOCTYPE)',
      })
      expect(body.error.message).toMatch(/External entities are not supported/)
    },
  )
})
