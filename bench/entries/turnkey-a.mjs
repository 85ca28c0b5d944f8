// Size comparison (a): the Turnkey functions the kit's crypto core replaces.
export { decryptExportBundle, decryptCredentialBundle, encryptWalletToBundle, generateP256KeyPair } from "@turnkey/crypto";
export { ApiKeyStamper } from "@turnkey/api-key-stamper";
