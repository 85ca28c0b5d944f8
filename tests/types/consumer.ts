// Compiled with `tsc --noEmit --strict` against pkg/quorum_kit.d.ts: the public API is typed
// precisely enough that these uses check, and the @ts-expect-error lines prove misuse is caught.
import init, {
  ApiKeyStamper,
  createExportTarget,
  decryptCredentialBundle,
  decryptExportBundle,
  encryptWalletToBundle,
  fingerprint,
  generateP256KeyPair,
  getChallengeFromPayload,
  type DecryptExportBundleParams,
  ExportTarget,
  type ExportTargetDecryptParams,
  type P256KeyPairHex,
  type TStamp,
} from "../../pkg/quorum_kit.js";

export async function uses(bytes: Uint8Array): Promise<string> {
  await init({ module_or_path: bytes });
  const pair: P256KeyPairHex = generateP256KeyPair();
  const params: DecryptExportBundleParams = {
    exportBundle: "{}",
    embeddedKey: pair.privateKey,
    organizationId: "org",
    returnMnemonic: true,
    keyFormat: "SOLANA",
  };
  const mnemonic: string = await decryptExportBundle(params);
  const key: string = decryptCredentialBundle("bundle", pair.privateKey);
  const imported: string = await encryptWalletToBundle({
    mnemonic,
    importBundle: "{}",
    userId: "u",
    organizationId: "o",
  });
  const stamp: TStamp = await new ApiKeyStamper({ apiPublicKey: pair.publicKey, apiPrivateKey: pair.privateKey }).stamp("{}");
  const challenge: Uint8Array = getChallengeFromPayload("{}");
  const target: ExportTarget = await createExportTarget();
  const stored: ExportTarget = await createExportTarget({ storageName: "export" });
  const targetPublicKey: string = target.publicKeyUncompressed;
  const targetKey: CryptoKey = stored.cryptoKey;
  const fromTarget: string = await target.decryptExportBundle({ exportBundle: "{}", organizationId: "org", returnMnemonic: true });
  const restored: ExportTarget | null = await ExportTarget.fromStorage("export");
  // @ts-expect-error the target's key stays inside: no embeddedKey
  const withKey: ExportTargetDecryptParams = { exportBundle: "{}", organizationId: "org", embeddedKey: "" };
  // @ts-expect-error publicKeyUncompressed is read-only
  target.publicKeyUncompressed = "04";
  // @ts-expect-error keyFormat is a closed set
  const bad: DecryptExportBundleParams = { ...params, keyFormat: "BASE64" };
  // @ts-expect-error organizationId is required
  await decryptExportBundle({ exportBundle: "{}", embeddedKey: "", returnMnemonic: true });
  // @ts-expect-error stamp() takes the body string
  await new ApiKeyStamper({ apiPublicKey: "", apiPrivateKey: "" }).stamp({});
  return [key, imported, stamp.stampHeaderName, stamp.stampHeaderValue, fingerprint("{}"), String(challenge.length), bad.exportBundle, targetPublicKey, targetKey.type, fromTarget, String(restored), withKey.exportBundle].join();
}
