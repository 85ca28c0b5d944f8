// The theme playground: every --qk-* token editable live, light/dark/auto, four languages, and
// the three elements in each of their states side by side.
//
// How states are reached without a passkey or a server (the mock, in two honest pieces):
// - Turnkey: each element gets a real kit `Client` whose `baseUrl` is a same-origin path that
//   the Service Worker `mock-turnkey.js` answers, one fixed outcome per path (pending, approved,
//   rejected, failed, a real HPKE export bundle signed by a mock enclave key, a tampered one).
//   Its stamper is a stub (the mock does not check stamps); a stamper that never answers holds
//   an element in `submitting`.
// - Passkeys: this page replaces `navigator.credentials.create` with a fake that returns a
//   well-formed credential (or never answers, for `awaiting-passkey`); sign-up's platform call is
//   a `createSubOrganization` function that resolves, rejects or never answers.
import init, { Client, defineQuorumElements, setLocale } from "/pkg/quorum_kit.js";
import { unsignedTransfer } from "/eth.js";

// The Service Worker controls /playground/ and below: make sure this page is there.
if (location.pathname === "/playground") location.replace(`/playground/${location.search}${location.hash}`);

const $ = (id) => document.getElementById(id);
const stage = $("stage");
const TAGS = ["quorum-sign-up", "quorum-approve-transaction", "quorum-export-wallet"];

// ---- Tokens (from src/ui/base.css; colour defaults are the light theme's) --------------------
const FONTS = {
  "System UI": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", sans-serif',
  "Humanist": '"Gill Sans", "Gill Sans MT", Calibri, "Trebuchet MS", sans-serif',
  "Serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
  "Rounded": 'ui-rounded, "SF Pro Rounded", "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, system-ui, sans-serif',
  "Monospace": 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
};
const MONO = {
  "System mono": 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
  "Courier": '"Courier New", Courier, monospace',
};
const SHADOWS = {
  "Soft (default)": "0 1px 2px rgb(0 0 0 / 0.06), 0 4px 16px rgb(0 0 0 / 0.06)",
  "None": "none",
  "Lifted": "0 2px 4px rgb(0 0 0 / 0.08), 0 12px 32px rgb(0 0 0 / 0.14)",
  "Outline": "0 0 0 2px rgb(0 0 0 / 0.08)",
};
const RINGS = {
  "Halo (default)": "0 0 0 3px var(--qk-color-focus, #6b7fff)",
  "Thick": "0 0 0 2px #ffffff, 0 0 0 5px var(--qk-color-focus, #6b7fff)",
  "Thin": "0 0 0 2px var(--qk-color-focus, #6b7fff)",
};

const TOKENS = [
  ...[
    ["accent", "Accent (buttons, links)", "#2f45c4"],
    ["accent-fg", "Text on accent", "#ffffff"],
    ["bg", "Background", "#ffffff"],
    ["fg", "Text", "#16181d"],
    ["muted", "Secondary text", "#4d5461"],
    ["border", "Input borders", "#8b929f"],
    ["subtle", "Panels and notices", "#f3f4f7"],
    ["card-border", "Card border", "#f3f4f7"],
    ["danger", "Danger", "#b3261e"],
    ["success", "Success", "#1c7436"],
    ["warning", "Warning and pending", "#8a5300"],
    ["focus", "Focus ring", "#6b7fff"],
  ].map(([n, label, def]) => ({ name: `--qk-color-${n}`, label, kind: "color", def, group: "colors" })),
  { name: "--qk-radius", label: "Corner radius", kind: "range", min: 0, max: 28, step: 1, unit: "px", def: 12, group: "shape" },
  { name: "--qk-button-radius", label: "Button and input radius", kind: "range", min: 0, max: 24, step: 1, unit: "px", def: 8, group: "shape" },
  { name: "--qk-space", label: "Spacing", kind: "range", min: 8, max: 28, step: 1, unit: "px", def: 16, group: "shape" },
  { name: "--qk-font-size", label: "Font size", kind: "range", min: 12, max: 22, step: 1, unit: "px", def: 16, group: "shape" },
  { name: "--qk-title-size", label: "Title size", kind: "range", min: 1, max: 1.8, step: 0.05, unit: "em", def: 1.25, group: "shape" },
  { name: "--qk-max-width", label: "Card width", kind: "range", min: 18, max: 36, step: 1, unit: "rem", def: 28, group: "shape" },
  { name: "--qk-font-family", label: "Font", kind: "select", options: FONTS, group: "shape" },
  { name: "--qk-font-family-mono", label: "Monospace font", kind: "select", options: MONO, group: "shape" },
  { name: "--qk-shadow", label: "Card shadow", kind: "select", options: SHADOWS, group: "effects" },
  { name: "--qk-focus-ring", label: "Focus ring", kind: "select", options: RINGS, group: "effects" },
];

const PRESETS = {
  forest: { "--qk-color-accent": "#1f6f4a", "--qk-color-focus": "#3fae7c", "--qk-color-subtle": "#eef5f0", "--qk-color-card-border": "#d5e6da", "--qk-radius": "20px", "--qk-button-radius": "12px", "--qk-font-family": FONTS.Humanist },
  midnight: { "--qk-color-bg": "#101624", "--qk-color-fg": "#e8ecf6", "--qk-color-muted": "#a8b3cc", "--qk-color-border": "#5d6a86", "--qk-color-subtle": "#1a2235", "--qk-color-card-border": "#26304a", "--qk-color-accent": "#ffb547", "--qk-color-accent-fg": "#1b1300", "--qk-color-danger": "#ff8f86", "--qk-color-success": "#74d98f", "--qk-color-warning": "#f2c14e", "--qk-shadow": SHADOWS.Lifted },
  sharp: { "--qk-radius": "2px", "--qk-button-radius": "0px", "--qk-space": "12px", "--qk-font-size": "14px", "--qk-title-size": "1.1em", "--qk-font-family": FONTS.Monospace, "--qk-color-accent": "#111111", "--qk-shadow": "none", "--qk-color-card-border": "#111111" },
};

/** The tokens the designer has set: name → CSS value. */
const values = new Map();
const inputs = new Map();

function setToken(name, value) {
  if (value === null) {
    values.delete(name);
    stage.style.removeProperty(name);
  } else {
    values.set(name, value);
    stage.style.setProperty(name, value);
  }
  inputs.get(name)?.sync();
  $("css-out").value = stylesheet();
}

function control(t) {
  const row = document.createElement("div");
  row.className = `row token token-${t.kind}`;
  const id = `tok${t.name.replace(/-/g, "_")}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = t.label;
  const code = document.createElement("code");
  code.textContent = t.name;
  label.append(code);
  let input;
  let output;
  if (t.kind === "color") {
    input = document.createElement("input");
    input.type = "color";
    input.value = t.def;
    input.addEventListener("input", () => setToken(t.name, input.value));
  } else if (t.kind === "range") {
    input = document.createElement("input");
    input.type = "range";
    Object.assign(input, { min: t.min, max: t.max, step: t.step, value: t.def });
    output = document.createElement("output");
    output.htmlFor = id;
    input.addEventListener("input", () => setToken(t.name, `${input.value}${t.unit}`));
  } else {
    input = document.createElement("select");
    for (const [name, value] of Object.entries(t.options)) input.add(new Option(name, value));
    input.addEventListener("change", () => setToken(t.name, input.selectedIndex === 0 ? null : input.value));
  }
  input.id = id;
  input.dataset.token = t.name;
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "reset";
  reset.textContent = "Reset";
  reset.setAttribute("aria-label", `Reset ${t.label}`);
  reset.addEventListener("click", () => setToken(t.name, null));
  row.append(label, input, ...(output ? [output] : []), reset);
  inputs.set(t.name, {
    sync() {
      const v = values.get(t.name);
      reset.disabled = v === undefined;
      row.classList.toggle("set", v !== undefined);
      if (t.kind === "color") input.value = v ?? t.def;
      else if (t.kind === "range") {
        input.value = v === undefined ? t.def : parseFloat(v);
        output.textContent = `${input.value}${t.unit}`;
      } else {
        const i = Array.from(input.options).findIndex((o) => o.value === v);
        input.selectedIndex = Math.max(0, i);
      }
    },
  });
  inputs.get(t.name).sync();
  return row;
}

for (const t of TOKENS) $(t.group).append(control(t));

function stylesheet() {
  const lines = TOKENS.map((t) => {
    const v = values.get(t.name);
    if (v !== undefined) return `  ${t.name}: ${v};`;
    const def = t.kind === "color" ? `${t.def} (light)` : t.kind === "range" ? `${t.def}${t.unit}` : Object.values(t.options)[0];
    return `  /* ${t.name}: ${def}; default */`;
  });
  return `/* quorum-kit theme: put it in any stylesheet of the host page. */\nquorum-sign-up,\nquorum-approve-transaction,\nquorum-export-wallet {\n${lines.join("\n")}\n}\n`;
}

$("copy-css").addEventListener("click", async () => {
  const css = stylesheet();
  $("css-out").value = css;
  try {
    await navigator.clipboard.writeText(css);
    $("copy-status").textContent = `Copied ${values.size} token${values.size === 1 ? "" : "s"} as a stylesheet.`;
  } catch {
    $("css-out").select();
    $("copy-status").textContent = "The browser refused the clipboard: the stylesheet is selected below, copy it from there.";
  }
});
$("reset").addEventListener("click", () => {
  for (const name of [...values.keys()]) setToken(name, null);
  $("preset").value = "";
});
$("preset").addEventListener("change", (e) => {
  for (const name of [...values.keys()]) setToken(name, null);
  for (const [name, value] of Object.entries(PRESETS[e.target.value] ?? {})) setToken(name, value);
});
for (const radio of document.querySelectorAll("input[name=theme]")) {
  radio.addEventListener("change", () => {
    for (const el of stage.querySelectorAll(TAGS.join(","))) el.setAttribute("theme", radio.value);
    document.documentElement.dataset.theme = radio.value;
  });
}
$("lang").addEventListener("change", (e) => setLocale(e.target.value));
$("css-out").value = stylesheet();

// ---- The mocks -------------------------------------------------------------------------------
const te = new TextEncoder();
let nextPasskey = "ok";
const fakeCredential = () => ({
  type: "public-key",
  id: "cGxheWdyb3VuZA",
  rawId: te.encode("playground").buffer,
  response: { clientDataJSON: te.encode("{}").buffer, attestationObject: Uint8Array.of(0xa0).buffer, getTransports: () => ["internal"] },
});
// A designer's click never opens a real passkey prompt here.
navigator.credentials.create = () => {
  const mode = nextPasskey;
  nextPasskey = "ok";
  return mode === "hang" ? new Promise(() => {}) : Promise.resolve(fakeCredential());
};

const ADDRESS = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
const SIGNED_UP = { subOrganizationId: "playground-org", userId: "playground-user", walletId: "playground-wallet", addresses: [ADDRESS] };
const stub = { stamp: async () => ({ stampHeaderName: "X-Stamp", stampHeaderValue: "playground-mock" }) };
const silent = { stamp: () => new Promise(() => {}) };
const clientFor = (scenario, stamper = stub) =>
  new Client({ baseUrl: `${location.origin}/playground/mock/${scenario}`, organizationId: `playground-${scenario}`, stamper, poll: { initialIntervalMs: 1_000, maxIntervalMs: 5_000 } });
const TX = unsignedTransfer({ chainId: 11_155_111n, nonce: 7n, to: "0x000000000000000000000000000000000000dEaD", valueWei: 25n * 10n ** 15n });

const tick = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const part = (el, name) => el.shadowRoot.querySelector(`[part=${name}]`);
function until(el, state) {
  return new Promise((resolve) => {
    if (el.getAttribute("state") === state) return resolve();
    el.addEventListener("quorum-state", function on(e) {
      if (e.detail.state === state) { el.removeEventListener("quorum-state", on); resolve(); }
    });
  });
}
async function signUpWith(el, passkey) {
  const input = el.shadowRoot.querySelector("input[name=userName]");
  input.value = "Ada Lovelace";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await tick();
  nextPasskey = passkey;
  part(el, "primary-button").click();
}
async function approve(el) {
  await tick();
  part(el, "primary-button").click();
}
async function exportWith(el) {
  await tick();
  part(el, "checkbox").click();
  // The button waits for the export's fresh WebCrypto target key (made asynchronously).
  while (part(el, "primary-button").disabled) await tick();
  part(el, "primary-button").click();
}

/** Each element's states: the attributes and properties it gets, and the actions that reach the state. */
const STATES = {
  "quorum-sign-up": [
    ["idle", (el) => { el.createSubOrganization = () => new Promise((r) => setTimeout(() => r(SIGNED_UP), 1_200)); }],
    ["awaiting-passkey", (el) => signUpWith(el, "hang")],
    ["creating-wallet", (el) => { el.createSubOrganization = () => new Promise(() => {}); return signUpWith(el, "ok"); }],
    ["done", (el) => { el.createSubOrganization = async () => SIGNED_UP; return signUpWith(el, "ok"); }],
    ["error", (el) => { el.createSubOrganization = async () => { throw new Error("billing is not set up for this account"); }; return signUpWith(el, "ok"); }],
  ],
  "quorum-approve-transaction": [
    ["idle", (el) => { el.client = clientFor("approved"); }],
    ["submitting", (el) => { el.client = clientFor("pending", silent); return approve(el); }],
    ["pending-approval", (el) => { el.client = clientFor("pending"); return approve(el); }],
    ["approved", (el) => { el.client = clientFor("approved"); return approve(el); }],
    ["rejected", (el) => {
      el.client = clientFor("rejected");
      el.reasonFor = async () => "value 0.025 ETH exceeds the per-transaction limit of 0.01 ETH";
      return approve(el);
    }],
    ["failed", (el) => { el.client = clientFor("failed"); return approve(el); }],
  ],
  "quorum-export-wallet": [
    ["idle", (el) => { el.client = clientFor("export"); }],
    ["submitting", (el) => { el.client = clientFor("export", silent); return exportWith(el); }],
    ["done", (el) => { el.client = clientFor("export"); return exportWith(el); }],
    ["revealed", async (el) => { el.client = clientFor("export"); await exportWith(el); await until(el, "done"); await tick(); part(el, "primary-button").click(); }],
    ["error", (el) => { el.client = clientFor("tampered"); return exportWith(el); }],
  ],
};

async function start() {
  await navigator.serviceWorker.register("/playground/mock-turnkey.js", { scope: "/playground/" });
  await navigator.serviceWorker.ready;
  // The worker claims this page once active, but Chromium sometimes leaves a page that loaded
  // before the worker uncontrolled: then a reload (now inside the worker's scope) fixes it.
  for (let waited = 0; !navigator.serviceWorker.controller; waited += 20) {
    if (waited >= 1_000) {
      location.reload();
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await init();
  defineQuorumElements();
  const { signerPublicKey } = await (await fetch("/playground/mock/signer/signer")).json();
  // A pending activity is remembered per tab so a reload resumes it; start every cell afresh.
  for (const key of Object.keys(sessionStorage)) if (key.startsWith("quorum-kit:approve:")) sessionStorage.removeItem(key);

  const theme = document.querySelector("input[name=theme]:checked").value;
  const work = [];
  for (const cells of document.querySelectorAll(".cells")) {
    const tag = cells.dataset.element;
    for (const [state, reach] of STATES[tag]) {
      const figure = document.createElement("figure");
      figure.className = "cell";
      const caption = document.createElement("figcaption");
      caption.textContent = state;
      const el = document.createElement(tag);
      el.dataset.target = state;
      el.setAttribute("theme", theme);
      if (tag === "quorum-approve-transaction") {
        el.setAttribute("sign-with", ADDRESS);
        el.setAttribute("unsigned-transaction", TX);
      }
      if (tag === "quorum-export-wallet") {
        el.setAttribute("wallet-id", "playground-wallet");
        el.setAttribute("dangerously-override-signer-public-key", signerPublicKey);
      }
      figure.append(caption, el);
      cells.append(figure);
      work.push((async () => {
        await reach(el);
        await until(el, state);
      })());
    }
  }
  await Promise.all(work);
  $("stage-status").textContent = "Every element is in its state. Change a token on the left and watch them all.";
  document.body.dataset.ready = "true";
}

start().catch((e) => {
  $("stage-status").textContent = `The playground could not start: ${e.message}`;
  throw e;
});
