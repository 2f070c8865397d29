/// <reference types="vite/client" />
import type { Envelope, Input, Output, ProcedureName } from '../../electron/contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Built by the preload from the closed list of procedure names; nothing else crosses. */
    api: { readonly [N in ProcedureName]: (input: Input<N>) => Promise<Envelope<Output<N>>> }
  }
}
