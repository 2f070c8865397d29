import { CSP_META } from '../electron/main/content-policy'
import { test, expect } from './fixtures'

test('the page runs under the app’s Content Security Policy: an injected inline script does not run', async ({ app }) => {
  const { page } = app
  await expect(page.locator('#app')).not.toBeEmpty()
  // The build wrote the one policy into index.html.
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP_META)
  // A script smuggled into the page (say, through a cell value rendered as HTML) is refused by script-src 'self'.
  app.expectConsoleError(/Content Security Policy/)
  await page.addScriptTag({ content: 'globalThis.injected = true' }).catch(() => undefined)
  const ran = await page.evaluate(() => (globalThis as { injected?: boolean }).injected === true)
  expect(ran).toBe(false)
})
