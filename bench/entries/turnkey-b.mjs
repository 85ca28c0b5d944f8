// Size comparison (b): (a) plus passkey stamping and the HTTP client: the kit's full feature set.
export { decryptExportBundle, decryptCredentialBundle, encryptWalletToBundle, generateP256KeyPair } from "@turnkey/crypto";
export { ApiKeyStamper } from "@turnkey/api-key-stamper";
export { WebauthnStamper } from "@turnkey/webauthn-stamper";
export { TurnkeyClient } from "@turnkey/http";
