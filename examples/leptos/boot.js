// Loads the app that `make examples` builds with wasm-bindgen into dist/.
import init from "./quorum-kit-leptos-example.js";
await init();
