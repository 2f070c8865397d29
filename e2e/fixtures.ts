// One fixture, two ways to run the same specs:
// - default: Debian's Chromium loads the built renderer; window.api is built exactly like the
//   preload builds it, and each call goes to the real router + core in this Node process
//   (createBackend: real SQLite in a fresh data folder, real migrations, real sender check);
// - E2E_ELECTRON=1: Playwright's _electron launches the real app with --data-dir.
// Either way a renderer console error or uncaught exception fails the test.
import { test as base, expect, _electron, type Page } from '@playwright/test'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize, resolve, sep } from 'node:path'
import { IPC_CHANNEL, PROCEDURES } from '../electron/contract/names'
import { createBackend, type Backend } from '../electron/main/compose'
import { trustOrigin } from '../electron/main/ipc/router'
import { CSP } from '../electron/main/content-policy'
import { memoryLogger } from '../electron/main/logger'

const ROOT = resolve(__dirname, '..')
const RENDERER_DIR = join(ROOT, 'out/renderer')
/** Stands in for app://credit-desk: every request to it is answered from out/renderer. */
const HARNESS_ORIGIN = 'http://credit-desk.test'
export const USE_ELECTRON = process.env.E2E_ELECTRON === '1'

export interface AppUnderTest {
  page: Page
  dataDir: string
  /** Where the save dialog's test double puts a file of this name. */
  savedFile(name: string): string
  /** The file the next open dialog answers with (as a user picking it would). */
  willOpen(path: string): Promise<void>
  /** A console error the test provokes on purpose (any other still fails it). */
  expectConsoleError(pattern: RegExp): void
}

export const test = base.extend<{ app: AppUnderTest; prepareDataDir: (dataDir: string, exportDir: string) => Promise<void> }>({
  /** Runs on the (empty) data folder before the app starts: a spec that needs a folder in some state makes it here. */
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's parameters from the pattern
  prepareDataDir: [async ({}, use) => use(async () => undefined), { option: true }],
  app: async ({ page: browserPage, prepareDataDir }, use, testInfo) => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first')
    const dataDir = mkdtempSync(join(tmpdir(), 'credit-desk-e2e-'))
    const exportDir = join(dataDir, 'exports')
    mkdirSync(exportDir)
    await prepareDataDir(dataDir, exportDir)
    const errors: string[] = []
    const expectedErrors: RegExp[] = []
    let backend: Backend | undefined
    let closeApp = async () => {}
    let page: Page
    let openPath: string | null = null
    let willOpen = async (path: string) => void (openPath = path)

    if (USE_ELECTRON) {
      const electronApp = await _electron.launch({ args: [ROOT, '--data-dir', dataDir], cwd: ROOT })
      closeApp = () => electronApp.close()
      page = await electronApp.firstWindow()
      // Replace only the native dialog, answering as a user picking the export folder would.
      await electronApp.evaluate(({ dialog }, dir) => {
        dialog.showSaveDialog = (async (...args: unknown[]) => {
          const opts = (args.length > 1 ? args[1] : args[0]) as { defaultPath?: string }
          return { canceled: false, filePath: `${dir}/${opts.defaultPath ?? 'export.xlsx'}` }
        }) as typeof dialog.showSaveDialog
      }, exportDir)
      willOpen = async (path) => {
        await electronApp.evaluate(({ dialog }, file) => {
          dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [file] })) as unknown as typeof dialog.showOpenDialog
        }, path)
      }
    } else {
      page = browserPage
      backend = await createBackend({
        dataDir,
        logger: memoryLogger(),
        isTrustedSender: trustOrigin(HARNESS_ORIGIN),
        platform: {
          chooseSavePath: async (req) => join(exportDir, req.defaultName),
          chooseOpenPath: async () => openPath,
          // Headless Chromium prints the page the way Electron's printToPDF does (A4, fonts embedded).
          printToPdf: async (_sender, path) => void (await page.pdf({ path, format: 'A4', printBackground: true })),
        },
      })
      const dispatch = backend.dispatch
      await page.exposeBinding('__creditDeskInvoke', (source, channel: string, name: unknown, input: unknown) => {
        if (channel !== IPC_CHANNEL) throw new Error('unknown channel')
        return dispatch({ id: 'main-window', url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, name, input)
      })
      // Mirrors electron/preload/index.ts: one frozen function per procedure name, nothing else.
      await page.addInitScript(
        ({ names, channel }) => {
          const w = globalThis as unknown as { api: unknown; __creditDeskInvoke: (c: string, n: string, i: unknown) => Promise<unknown> }
          const invoke = w.__creditDeskInvoke
          w.api = Object.freeze(Object.fromEntries(names.map((n) => [n, (input?: unknown) => invoke(channel, n, input ?? {})])))
        },
        { names: [...PROCEDURES], channel: IPC_CHANNEL },
      )
      await page.route(`${HARNESS_ORIGIN}/**`, async (route) => {
        const { pathname } = new URL(route.request().url())
        const file = normalize(join(RENDERER_DIR, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)))
        if (!file.startsWith(RENDERER_DIR + sep) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' })
        // Served under the app's own Content Security Policy, as app:// serves it in Electron.
        return route.fulfill({ path: file, headers: { 'content-security-policy': CSP } })
      })
    }

    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`)
    })
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
    if (!USE_ELECTRON) await page.goto(`${HARNESS_ORIGIN}/index.html`)

    await use({
      page,
      dataDir,
      savedFile: (name) => join(exportDir, name),
      willOpen: (path) => willOpen(path),
      expectConsoleError: (pattern) => void expectedErrors.push(pattern),
    })

    if (testInfo.status !== testInfo.expectedStatus) await page.screenshot({ path: testInfo.outputPath('failure.png') }).catch(() => {})
    await closeApp()
    await backend?.close()
    rmSync(dataDir, { recursive: true, force: true })
    expect(
      errors.filter((e) => !expectedErrors.some((p) => p.test(e))),
      'renderer console errors',
    ).toEqual([])
  },
})

export { expect }

/** Saves a screenshot for people to look at (test-results/screens/NAME.png). */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', `${name}.png`), fullPage: true })
}
