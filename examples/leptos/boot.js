// Loads the app that `make examples` builds with wasm-bindgen into dist/.
import init from "./quorum_kit_leptos_example.js";
await init();
