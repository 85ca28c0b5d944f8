// quorum-kit's custom elements in React 19: attributes as strings, `client` and `reasonFor` as
// properties (React 19 sets a prop as a property when the element declares it), and the kit's
// CustomEvents through `on<event-name>` props.
import { useEffect, useMemo, useState } from "react";
import { Client, WebauthnStamper } from "quorum-kit";
import { unsignedTransfer } from "./tx.js";

// Your backend: the platform's sign-up endpoint and, for reasons, its co-signer's decisions.
// The Turnkey API is at the same origin here (the sandbox, proxied); in production use
// https://api.turnkey.com and drop the signer override below.
const BASE_URL = location.origin;

export function App() {
  const [user, setUser] = useState(null);
  const [result, setResult] = useState("");
  const [signer, setSigner] = useState();

  useEffect(() => {
    fetch("/sandbox/v1/info").then((r) => r.json()).then((info) => setSigner(info.signerPublicKey));
  }, []);

  // One kit Client for the user's sub-organization, stamped with their passkey.
  const client = useMemo(
    () => user && new Client({ baseUrl: BASE_URL, organizationId: user.subOrganizationId, stamper: new WebauthnStamper({ rpId: location.hostname }) }),
    [user],
  );
  const reasonFor = useMemo(() => async (activityId) => {
    const r = await fetch(`/platform/decisions?subOrganizationId=${encodeURIComponent(user?.subOrganizationId ?? "")}`);
    const { decisions = [] } = await r.json();
    return decisions.find((d) => d.activityId === activityId)?.reason;
  }, [user]);
  const tx = useMemo(() => unsignedTransfer({ chainId: 11155111n, nonce: 0n, to: "0x000000000000000000000000000000000000dEaD", valueWei: 10n ** 16n }), []);

  return (
    <main className="app">
      <h1>quorum-kit in React 19</h1>
      {!user && (
        <quorum-sign-up
          base-url={BASE_URL}
          signup-url="/platform/signup"
          rp-name="React example"
          onquorum-signed-up={(e) => setUser(e.detail)}
        />
      )}
      {user && (
        <>
          <p>Address: <output id="address">{user.addresses[0]}</output></p>
          <quorum-approve-transaction
            client={client}
            reasonFor={reasonFor}
            sign-with={user.addresses[0]}
            unsigned-transaction={tx}
            onquorum-pending-approval={() => setResult("pending the platform's approval")}
            onquorum-approved={(e) => setResult(`signed ${e.detail.signedTransaction}`)}
            onquorum-rejected={(e) => setResult(`rejected: ${e.detail.reason}`)}
          />
          <p role="status" id="result">{result}</p>
          <quorum-export-wallet
            client={client}
            wallet-id={user.walletId}
            dangerously-override-signer-public-key={signer}
          />
        </>
      )}
    </main>
  );
}
