// Compiled with `tsc --noEmit --strict` against pkg/crypto/quorum_kit_crypto.d.ts (`quorum-kit/crypto`):
// the crypto-only entry has the crypto functions' types, and nothing of the browser layer.
import init, {
  ApiKeyStamper,
  decryptCredentialBundle,
  decryptExportBundle,
  encryptWalletToBundle,
  fingerprint,
  generateP256KeyPair,
  type P256KeyPairHex,
  type TStamp,
} from "../../pkg/crypto/quorum_kit_crypto.js";
// @ts-expect-error WebCrypto export targets are in `quorum-kit`, not in `quorum-kit/crypto`
import { createExportTarget } from "../../pkg/crypto/quorum_kit_crypto.js";

export async function usesCrypto(bytes: Uint8Array): Promise<string> {
  await init({ module_or_path: bytes });
  const pair: P256KeyPairHex = generateP256KeyPair();
  const stamp: TStamp = await new ApiKeyStamper({ apiPublicKey: pair.publicKey, apiPrivateKey: pair.privateKey }).stamp("{}");
  const key: string = decryptCredentialBundle("bundle", pair.privateKey);
  const sealed: string = await encryptWalletToBundle({ mnemonic: "m", importBundle: "{}", userId: "u", organizationId: "o" });
  // @ts-expect-error organizationId is required
  await decryptExportBundle({ exportBundle: "{}", embeddedKey: pair.privateKey, returnMnemonic: true });
  void createExportTarget;
  return stamp.stampHeaderValue + key + sealed + fingerprint("{}");
}
