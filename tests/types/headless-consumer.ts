// Compiled with `tsc --noEmit --strict` against pkg/headless/quorum_kit_headless.d.ts
// (`quorum-kit/headless`): the browser layer's API without the UI, typed as in `quorum-kit`.
import init, {
  Client,
  createExportTarget,
  registerPasskey,
  WebauthnStamper,
  type PasskeyRegistration,
  type SignTransactionResult,
} from "../../pkg/headless/quorum_kit_headless.js";
// @ts-expect-error the custom elements are in `quorum-kit`, not in `quorum-kit/headless`
import { defineQuorumElements } from "../../pkg/headless/quorum_kit_headless.js";

export async function signsWithItsOwnScreens(subOrganizationId: string, signWith: string): Promise<string> {
  await init();
  const registration: PasskeyRegistration = await registerPasskey({ rpName: "Example", userName: "alice" });
  const client = new Client({
    baseUrl: "https://api.turnkey.com",
    organizationId: subOrganizationId,
    stamper: new WebauthnStamper({ rpId: "example.com" }),
  });
  const handle = await client.signTransaction({ signWith, unsignedTransaction: "02", type: "TRANSACTION_TYPE_ETHEREUM" });
  const pending: boolean = handle.pendingApproval;
  const result: SignTransactionResult = await handle.wait();
  const target = await createExportTarget();
  // @ts-expect-error a transaction needs its signer
  await client.signTransaction({ unsignedTransaction: "02", type: "TRANSACTION_TYPE_ETHEREUM" });
  return `${registration.challenge}${pending}${result.signedTransaction}${target.publicKeyUncompressed}`;
}
