// The app's version as package.json states it (bundled in at build time), for files that record who wrote them.
import { version } from '../../../package.json'

export const APP_VERSION: string = version
