// The smallest app on Turnkey's Embedded Wallet Kit that offers what quorum-kit's elements do:
// the provider (sign-up / login modal, passkeys, sessions) and the export flow, with its stylesheet
// and React. bench/run.mjs bundles it with esbuild (minified, tree-shaken) for the size table.
import { createRoot } from "react-dom/client";
import { TurnkeyProvider, useTurnkey } from "@turnkey/react-wallet-kit";
import "@turnkey/react-wallet-kit/styles.css";

function App() {
  const { handleLogin, handleExportWallet } = useTurnkey();
  return (
    <>
      <button type="button" onClick={() => handleLogin()}>Sign up</button>
      <button type="button" onClick={() => handleExportWallet({ walletId: "w" })}>Export</button>
    </>
  );
}

createRoot(document.getElementById("root")).render(
  <TurnkeyProvider config={{ organizationId: "o", authProxyConfigId: "p" }}>
    <App />
  </TurnkeyProvider>,
);
