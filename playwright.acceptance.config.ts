import { defineConfig } from '@playwright/test'
import base from './playwright.config'

// Acceptance runs on documents kept outside the repository (../shared/fixtures or PLAN_FIXTURES).
export default defineConfig({ ...base, testMatch: '**/*.acceptance.ts', reporter: 'list', outputDir: 'test-results/acceptance' })
