import { createRoot } from "react-dom/client";
import init, { defineQuorumElements } from "quorum-kit";
import { App } from "./App.jsx";

// The wasm loads once; then the three custom elements exist for React to render.
await init();
defineQuorumElements();
createRoot(document.getElementById("root")).render(<App />);
