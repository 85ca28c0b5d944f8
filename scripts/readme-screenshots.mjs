// Regenerates docs/screenshots/*.png for the README from the theme playground: the three elements
// (sign-up idle, approval pending, export ready) in light, dark and a custom brand.
// Usage: node scripts/readme-screenshots.mjs (needs the built package and sandbox, as the e2e tests).
import { join } from "node:path";
import { ROOT, startSandbox, launchBrowser } from "../tests/e2e/helpers.mjs";

const OUT = join(ROOT, "docs", "screenshots");
const CELLS = [["quorum-sign-up", "idle", "sign-up"], ["quorum-approve-transaction", "pending-approval", "approve-pending"], ["quorum-export-wallet", "done", "export-ready"]];
const sandbox = await startSandbox();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(`${sandbox.baseUrl}/playground/`);
  await page.locator("body[data-ready=true]").waitFor({ timeout: 60_000 });
  for (const [variant, apply] of [
    ["light", async () => {}],
    ["dark", async () => page.getByLabel("Dark", { exact: true }).check()],
    ["brand", async () => { await page.getByLabel("Light", { exact: true }).check(); await page.getByLabel("Preset").selectOption("forest"); }],
  ]) {
    await apply();
    for (const [tag, state, name] of CELLS) {
      const el = page.locator(`${tag}[data-target="${state}"]`);
      await el.evaluate((e) => e.shadowRoot.activeElement?.blur());
      await el.screenshot({ path: join(OUT, `${name}-${variant}.png`), animations: "disabled" });
    }
  }
} finally {
  await browser.close();
  await sandbox.stop();
}
