// The custom-element classes of quorum-kit. wasm-bindgen cannot subclass HTMLElement, so each
// element is this small class; everything else (state, rendering, styles, events) is Rust.
// `defineElements` receives the Rust factory that mounts a Leptos component into a shadow root.

const COMMON = ["base-url", "organization-id", "rp-id", "theme", "lang"];

const SPECS = [
  ["quorum-sign-up", "sign-up", [...COMMON, "rp-name", "signup-url"], ["client", "createSubOrganization"]],
  ["quorum-approve-transaction", "approve-transaction", [...COMMON, "sign-with", "unsigned-transaction"], ["client", "reasonFor"]],
  ["quorum-export-wallet", "export-wallet", [...COMMON, "wallet-id", "dangerously-override-signer-public-key", "export-frame-url"], ["client"]],
];

function apply(handle, name, value) {
  if (name === "client") {
    const forElements = value && typeof value.__forElements === "function" ? value.__forElements() : undefined;
    handle.setClient(forElements);
  } else {
    handle.setHook(name, typeof value === "function" ? value : undefined);
  }
}

export function defineElements(factory) {
  const registry = globalThis.customElements;
  if (!registry) return;
  for (const [tag, kind, attributes, properties] of SPECS) {
    if (registry.get(tag)) continue;
    class QuorumElement extends HTMLElement {
      static get observedAttributes() {
        return attributes;
      }
      #handle = null;
      #props = Object.create(null);
      constructor() {
        super();
        // A property set before the element was defined shadows the accessor: take it over.
        for (const p of properties) {
          if (Object.prototype.hasOwnProperty.call(this, p)) {
            const value = this[p];
            delete this[p];
            this.#props[p] = value;
          }
        }
      }
      connectedCallback() {
        if (this.#handle) return;
        const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
        const handle = factory.mount(kind, this, root);
        this.#handle = handle;
        for (const p of properties) if (this.#props[p] !== undefined) apply(handle, p, this.#props[p]);
      }
      disconnectedCallback() {
        // A move is a disconnect then a connect: unmount only if still detached after it.
        queueMicrotask(() => {
          if (!this.isConnected && this.#handle) {
            const handle = this.#handle;
            this.#handle = null;
            handle.free();
          }
        });
      }
      attributeChangedCallback(name, oldValue, value) {
        if (this.#handle && oldValue !== value) this.#handle.attributeChanged(name, value);
      }
      // Every property a host may set exists before the host renders (React 19 sets a prop as a
      // property only when `prop in element`).
      static {
        for (const p of properties) {
          Object.defineProperty(this.prototype, p, {
            configurable: true,
            enumerable: true,
            get() {
              return this.#props[p];
            },
            set(value) {
              this.#props[p] = value;
              if (this.#handle) apply(this.#handle, p, value);
            },
          });
        }
      }
    }
    registry.define(tag, QuorumElement);
  }
}
