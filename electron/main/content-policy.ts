// The renderer's Content Security Policy, written once. app:// sends it as a header with every file (protocol.ts);
// the build writes it into index.html's <meta> as well (electron.vite.config.ts), minus frame-ancestors, which a
// <meta> policy may not carry (browsers ignore it there and warn).
// Element Plus sets inline style attributes, hence style-src 'unsafe-inline'; nothing else is relaxed.
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['frame-src', 'blob:'],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
]

const HEADER_ONLY = new Set(['frame-ancestors'])

const serialize = (directives: ReadonlyArray<readonly [string, string]>) => directives.map(([name, value]) => `${name} ${value}`).join('; ')

/** The policy as an HTTP header. */
export const CSP = serialize(DIRECTIVES)

/** The same policy as a <meta> tag can hold it. */
export const CSP_META = serialize(DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)))

/** Placeholder in renderer/index.html that the build replaces with CSP_META. */
export const CSP_PLACEHOLDER = '%CONTENT_SECURITY_POLICY%'
