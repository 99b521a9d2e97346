import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  clickAt,
  drag,
  openAssetAs,
  readRegions,
  startWorkspace,
  uploadPhoto,
  type Workspace,
} from '../support/workspace.ts'

const USER = { email: 'lena@example.com', password: 'lena-password-123' }

describe('label hotkeys and the kinds each label allows', () => {
  let ws: Workspace
  let page: Page
  let labelIds: Record<string, string> = {}

  beforeAll(async () => {
    ws = await startWorkspace(USER)
    const project = await ws.api.request<{ id: string; labels: { id: string; name: string }[] }>(
      'POST',
      '/api/projects',
      {
        name: 'Kinds',
        labels: [
          { name: 'pot', hotkey: 1, kinds: ['bbox'] },
          { name: 'tree', hotkey: 2, kinds: ['polygon', 'point'] },
        ],
      },
    )
    labelIds = Object.fromEntries(project.labels.map((l) => [l.name, l.id]))
    const asset = await uploadPhoto(ws.api, project.id)
    page = await openAssetAs(ws, USER, asset.id)
  })

  afterAll(async () => {
    await ws?.close()
  })

  const regions = () => readRegions(page)
  const notice = () => page.getByTestId('editor-notice').textContent()

  it('leaves a box just drawn alone when P then a digit picks the label for the next shape', async () => {
    await page.keyboard.press('b')
    await drag(page, [100, 100], [200, 180])
    expect((await regions()).map((r) => [r.kind, r.labelId])).toEqual([['bbox', labelIds.pot]])

    await page.keyboard.press('p')
    expect(await page.evaluate(() => window.__concord?.editor.getSnapshot().selection)).toEqual([])
    await page.keyboard.press('2')
    expect((await regions()).map((r) => r.labelId)).toEqual([labelIds.pot])
    await page.keyboard.press('d')
    await clickAt(page, 300, 250)
    const byKind = Object.fromEntries((await regions()).map((r) => [r.kind, r.labelId]))
    expect(byKind).toEqual({ bbox: labelIds.pot, point: labelIds.tree })
  })

  it('refuses a hotkey whose label does not allow the selected region and says why', async () => {
    await page.keyboard.press('v')
    const box = (await regions()).find((r) => r.kind === 'bbox')
    await page.evaluate((id) => window.__concord?.editor.select([id]), box?.id ?? '')
    await page.keyboard.press('2')
    await expect.poll(notice).toContain('“tree” does not allow boxes')
    const after = (await regions()).find((r) => r.kind === 'bbox')
    expect(after?.labelId).toBe(labelIds.pot)
  })

  it('refuses to draw a kind the active label does not allow instead of picking another label', async () => {
    await page.keyboard.press('d')
    await page.keyboard.press('1')
    const before = (await regions()).length
    await clickAt(page, 350, 120)
    await expect.poll(notice).toContain('“pot” does not allow points')
    expect((await regions()).length).toBe(before)
  })
})
