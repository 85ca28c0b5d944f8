// Leptos 0.8 always links `server_fn` with its browser feature, which pulls in `wasm-streams`, whose
// #[wasm_bindgen] classes (IntoUnderlyingSource/Sink/ByteSource) wasm-bindgen then declares in our
// public .d.ts. The kit never hands them out; this drops their declarations so the package's types
// show only the kit's API. (No option of wasm-bindgen or a feature of leptos avoids them.)
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "pkg/quorum_kit.d.ts";
const before = readFileSync(file, "utf8");
const after = before.replace(/^export class IntoUnderlying(?:ByteSource|Sink|Source) \{\n(?:.*\n)*?\}\n\n?/gm, "");
writeFileSync(file, after);
const dropped = (before.match(/^export class IntoUnderlying/gm) ?? []).length;
console.log(`trim-dts: dropped ${dropped} foreign class declaration(s) from ${file}`);
