// A software passkey for Node tests (the mirror of www/sandbox/src/soft_passkey.rs): a `none`
// attestation for registration, and `X-Stamp-WebAuthn` assertions (challenge = UTF-8 of the
// hex SHA-256 of the body, PROTOCOL §2) usable as a TurnkeyClient stamper.
import { createHash, generateKeyPairSync, sign } from "node:crypto";

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest();

/** Minimal CBOR: unsigned/negative integers, byte strings, text strings and maps. */
function cbor(value) {
  const head = (major, n) => {
    if (n < 24) return Buffer.of((major << 5) | n);
    if (n < 0x100) return Buffer.of((major << 5) | 24, n);
    return Buffer.of((major << 5) | 25, n >> 8, n & 0xff);
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

export class SoftPasskey {
  /** A fresh ES256 credential for `origin` (e.g. `http://localhost:8787`) and `rpId`. */
  constructor(origin, rpId) {
    this.origin = origin;
    this.rpId = rpId;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    this.jwk = publicKey.export({ format: "jwk" });
    this.credentialId = sha256(Buffer.from(this.jwk.x + this.jwk.y));
    this.counter = 0;
  }

  clientData(type, challenge) {
    return Buffer.from(JSON.stringify({ type, challenge: b64url(challenge), origin: this.origin, crossOrigin: false }));
  }

  authDataHead(flags, count) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(count);
    return Buffer.concat([sha256(Buffer.from(this.rpId)), Buffer.of(flags), counter]);
  }

  /** Turnkey's registration params: `{challenge, attestation: {credentialId, clientDataJson, attestationObject, transports}}`. */
  register(challenge) {
    const cose = new Map([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(this.jwk.x, "base64url")],
      [-3, Buffer.from(this.jwk.y, "base64url")],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([this.authDataHead(0x45, 0), Buffer.alloc(16), idLength, this.credentialId, cbor(cose)]);
    return {
      challenge: b64url(challenge),
      attestation: {
        credentialId: b64url(this.credentialId),
        clientDataJson: b64url(this.clientData("webauthn.create", challenge)),
        attestationObject: b64url(cbor({ fmt: "none", attStmt: {}, authData })),
        transports: ["AUTHENTICATOR_TRANSPORT_INTERNAL"],
      },
    };
  }

  /** The TurnkeyClient stamper interface: an `X-Stamp-WebAuthn` over `payload`. */
  async stamp(payload) {
    this.counter += 1;
    const authenticatorData = this.authDataHead(0x05, this.counter);
    const challenge = Buffer.from(sha256(Buffer.from(payload)).toString("hex"));
    const clientDataJson = this.clientData("webauthn.get", challenge);
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJson)]), this.privateKey);
    return {
      stampHeaderName: "X-Stamp-WebAuthn",
      stampHeaderValue: JSON.stringify({
        authenticatorData: b64url(authenticatorData),
        clientDataJson: b64url(clientDataJson),
        credentialId: b64url(this.credentialId),
        signature: b64url(signature),
      }),
    };
  }
}
