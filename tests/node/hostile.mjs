// Shared pieces of the hostile-input tests: the package's declared signatures (read from
// pkg/quorum_kit.d.ts, so a new export is covered without editing the tests), a seeded PRNG,
// arbitrary JavaScript values, a stub `fetch`, and the outcome check.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DTS = readFileSync(fileURLToPath(new URL("../../pkg/quorum_kit.d.ts", import.meta.url)), "utf8");

/** Splits `s` at top-level `sep` (outside (), [], {}, <> and string literals). */
function splitTop(s, sep) {
  const out = [];
  let depth = 0;
  let quote = null;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ("([{<".includes(c)) depth++;
    else if (")]}>".includes(c) && !(c === ">" && s[i - 1] === "=")) depth--;
    else if (c === sep && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out.map((x) => x.trim());
}

function params(list) {
  return splitTop(list, ",").map((p) => {
    const m = /^(\w+)(\?)?:\s*([\s\S]+)$/.exec(p);
    if (!m) throw new Error(`cannot parse parameter ${p}`);
    return { name: m[1], optional: Boolean(m[2]), type: m[3].trim() };
  });
}

/** The parameter list inside the first balanced (...) from `start`. */
function paramList(line, start) {
  let depth = 0;
  for (let i = start; i < line.length; i++) {
    if (line[i] === "(") depth++;
    else if (line[i] === ")" && --depth === 0) return line.slice(start + 1, i);
  }
  throw new Error(`unbalanced ${line}`);
}

/** Declarations: `functions[name] = params[]`, `classes[name] = {constructor, statics, methods, setters}`, `interfaces[name] = {field: {optional, type}}`. */
export function declarations() {
  const functions = {};
  const classes = {};
  const interfaces = {};
  const lines = DTS.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if ((m = /^export (?:default )?function (\w+)\s*\(/.exec(line))) {
      functions[m[1]] = params(paramList(line, line.indexOf("(")));
    } else if ((m = /^export class (\w+) \{/.exec(line))) {
      const c = { constructor: null, statics: {}, methods: {}, setters: {} };
      for (i++; i < lines.length && lines[i] !== "}"; i++) {
        const l = lines[i];
        let n;
        if ((n = /^ {2}constructor\(/.exec(l))) c.constructor = params(paramList(l, l.indexOf("(")));
        else if ((n = /^ {2}static (\w+)\(/.exec(l))) c.statics[n[1]] = params(paramList(l, l.indexOf("(")));
        else if ((n = /^ {2}(\w+)\(/.exec(l))) c.methods[n[1]] = params(paramList(l, l.indexOf("(")));
        else if ((n = /^ {2}(\w+): (.+);$/.exec(l))) c.setters[n[1]] = [{ name: "value", optional: false, type: n[2] }];
      }
      classes[m[1]] = c;
    } else if ((m = /^export interface (\w+)(?:<\w+>)?(?: extends [\w<>]+)? \{(.*)$/.exec(line))) {
      let body = m[2];
      if (!body.includes("}")) {
        for (i++; i < lines.length && lines[i] !== "}"; i++) body += "\n" + lines[i];
      } else body = body.slice(0, body.lastIndexOf("}"));
      const fields = {};
      const text = body.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      for (const member of splitTop(text.replace(/\n/g, " "), ";")) {
        const f = /^(\w+)(\?)?:\s*([\s\S]+)$/.exec(member);
        if (f) fields[f[1]] = { optional: Boolean(f[2]), type: f[3].trim() };
      }
      interfaces[m[1]] = fields;
    }
  }
  return { functions, classes, interfaces };
}

const decl = declarations();

/** Whether `v` has the TypeScript type `type` at its top level (objects are not looked into). */
export function conforms(v, type) {
  try {
    return conformsUnguarded(v, type);
  } catch {
    // A proxy whose traps throw: it is an object, not an array, a buffer or a class instance.
    return typeof v === "object" && !/^(string|number|boolean|null|undefined|void|Uint8Array|BufferSource|AbortSignal)$/.test(type.trim()) && !/\[\]$|^Array<|^Promise<|=>/.test(type.trim());
  }
}

function conformsUnguarded(v, type) {
  type = type.trim();
  const union = splitTop(type, "|");
  if (union.length > 1) return union.some((t) => conformsUnguarded(v, t));
  if (/^\(.*\)$/.test(type) && !type.includes("=>")) return conformsUnguarded(v, type.slice(1, -1));
  if (type === "any" || type === "unknown") return true;
  if (type === "string" || /^"[^"]*"$/.test(type)) return typeof v === "string";
  if (type === "number") return typeof v === "number";
  if (type === "boolean") return typeof v === "boolean";
  if (type === "null") return v === null;
  if (type === "undefined" || type === "void") return v === undefined;
  if (type.includes("=>")) return typeof v === "function";
  if (type === "Uint8Array") return v instanceof Uint8Array;
  if (type === "BufferSource") return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  if (type === "AbortSignal") return v instanceof AbortSignal;
  if (/\[\]$/.test(type) || /^Array</.test(type)) return Array.isArray(v);
  if (/^Promise</.test(type)) return v instanceof Promise;
  // Interfaces, records, object literals, classes, DOM types.
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);
}

/** mulberry32: a small seeded PRNG, so a failure replays with the same HOSTILE_SEED. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (xs) => xs[next.int(xs.length)];
  return next;
}

/** Errors a hostile getter, proxy or function throws; the kit may pass these through (a JS stamper's own error is rethrown). */
export class HostileError extends Error {
  constructor(where) {
    super(`hostile ${where}`);
    this.name = "HostileError";
  }
}

const LONE = ["\ud800", "\udfff", "a\ud83dz", "\udc00\ud800"];

/** Arbitrary values of every kind JavaScript has, the nastier the better. */
export function arbitrary(rng, depth = 0) {
  const kinds = [
    () => rng.pick([0, -0, 1, -1, 0.5, 2 ** 53, -(2 ** 31), NaN, Infinity, -Infinity, Number.MIN_VALUE, 4294967296]),
    () => rng.pick([0n, 1n, -1n, 2n ** 64n]),
    () => rng.pick([true, false]),
    () => rng.pick([null, undefined]),
    () => Symbol(rng.pick(["", "x"])),
    () => rng.pick(["", "0", "x", "null", "{}", "[]", "0x", "deadbeef", "ffc6090f14bcf260e5dfe63f45412e60a477bb905956d7cc90195b71c2a544b3"]),
    () => rng.pick(LONE) + rng.pick(["", "abc", "{}"]),
    () => "x".repeat(rng.pick([1 << 16, 1 << 20, 3 << 20])),
    () => "\u0000\uffff\u202e😀".repeat(1 + rng.int(64)),
    () => rng.pick([() => 1, async () => 1, function () { throw new HostileError("function"); }, class {}, Math.max]),
    () => ({}),
    () => Object.create(null),
    () => [],
    () => new Array(2 ** 32 - 1),
    () => (depth < 2 ? [arbitrary(rng, depth + 1), arbitrary(rng, depth + 1)] : [1]),
    () => (depth < 2 ? { [rng.pick(["a", "id", "toString", "__proto__", "then"])]: arbitrary(rng, depth + 1) } : {}),
    () => rng.pick([new Uint8Array(rng.int(70)), new Uint8Array(0).buffer, new DataView(new ArrayBuffer(4)), new Float64Array([NaN]), new BigInt64Array(1)]),
    () => rng.pick([new Date(NaN), /x/g, new Map(), new Set([1]), new Error("e"), new WeakMap(), Promise.resolve(1), new String("boxed"), Object(1n)]),
    () => new Proxy({}, throwingHandler()),
    () => new Proxy([], throwingHandler()),
    () => new Proxy(function () {}, throwingHandler()),
    () => revoked(),
    () => getterBomb(rng),
    () => {
      const o = {};
      o.self = o;
      o.a = [o];
      return o;
    },
    () => {
      let o = {};
      for (let i = 0; i < 200; i++) o = { o, a: [o] };
      return o;
    },
    () => ({ then: (resolve) => resolve(1), toString() { throw new HostileError("toString"); }, valueOf() { throw new HostileError("valueOf"); } }),
    () => ({ [Symbol.toPrimitive]() { throw new HostileError("toPrimitive"); } }),
    () => new AbortController().signal,
    () => globalThis,
  ];
  return rng.pick(kinds)();
}

function throwingHandler() {
  const trap = (name) => () => {
    throw new HostileError(`proxy ${name}`);
  };
  return Object.fromEntries(
    ["get", "set", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "deleteProperty", "apply", "construct", "isExtensible", "preventExtensions"].map((n) => [n, trap(n)]),
  );
}

function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose every likely option name is a getter that throws. */
function getterBomb(rng) {
  const o = {};
  const names = ["stamp", "baseUrl", "organizationId", "stamper", "rpId", "rpName", "userName", "challenge", "apiPublicKey", "apiPrivateKey", "exportBundle", "embeddedKey", "signal", "onUpdate", "poll", "length", "then", rng.pick(["a", "b"])];
  for (const n of names) {
    Object.defineProperty(o, n, {
      enumerable: true,
      get() {
        throw new HostileError(`getter ${n}`);
      },
    });
  }
  return o;
}

/** A short, printable description of a value for failure messages. */
export function describe(v) {
  try {
    if (typeof v === "string") return v.length > 40 ? `string(${v.length})` : JSON.stringify(v);
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "symbol") return v.toString();
    if (typeof v === "function") return `function ${v.name}`;
    if (v === null || typeof v !== "object") return String(v);
    if (Array.isArray(v)) return `array(${v.length})`;
    return `object ${Object.prototype.toString.call(v)} {${Object.keys(v).slice(0, 5).join(",")}}`;
  } catch {
    return "(hostile object)";
  }
}

const BUILTIN_ERRORS = new Set(["Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError", "AggregateError", "RuntimeError", "CompileError", "LinkError", "InternalError"]);
/** Names the kit throws for a wrong argument. */
export const INVALID_NAMES = new Set(["InvalidInputError", "PasskeyOptionsError"]);

/** Whether `e` is an Error with a stable kit name (`FooError`, not a builtin like `TypeError`). */
export function isNamedKitError(e) {
  return e instanceof Error && typeof e.name === "string" && /^[A-Z][A-Za-z]*Error$/.test(e.name) && !BUILTIN_ERRORS.has(e.name);
}

/** Runs `call`, resolving a returned promise (up to `ms`): `{threw, error}`, `{value}` or `{pending}`. */
export async function outcome(call, ms = 1500) {
  let result;
  try {
    result = call();
  } catch (error) {
    return { threw: true, error };
  }
  if (!(result instanceof Promise)) return { value: result };
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ pending: true }), ms);
  });
  try {
    return await Promise.race([result.then((value) => ({ value }), (error) => ({ threw: true, error })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const STUB_ORG = "org-stub";
/** Activities the stub `fetch` answers `get_activity` with. */
export function stubActivity(id) {
  return {
    id,
    organizationId: STUB_ORG,
    status: "ACTIVITY_STATUS_COMPLETED",
    type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2",
    intent: {},
    result: { signTransactionResult: { signedTransaction: "0x00" } },
    votes: [],
    fingerprint: "sha256:00",
    canApprove: false,
    canReject: false,
    createdAt: { seconds: "0", nanos: "0" },
    updatedAt: { seconds: "0", nanos: "0" },
  };
}

/** Replaces `fetch`: `get_activity` answers a completed activity, everything else a 400. Records request bodies. */
export function installStubFetch() {
  const requests = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input.url;
    const body = init?.body ?? (typeof input === "object" && input.text ? await input.text() : undefined);
    requests.push({ url, body: typeof body === "string" ? body : undefined });
    if (url.endsWith("/public/v1/query/get_activity")) {
      let id = "act-stub";
      try {
        id = JSON.parse(body).activityId ?? id;
      } catch {}
      return new Response(JSON.stringify({ activity: stubActivity(id) }), { status: 200, headers: { "content-type": "application/json" } });
    }
    return new Response(JSON.stringify({ code: 3, message: "stubbed: invalid argument", details: [] }), { status: 400, headers: { "content-type": "application/json" } });
  };
  return { requests, restore: () => (globalThis.fetch = original) };
}

export { decl };
