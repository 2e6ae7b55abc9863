// MSAL's redirect page for huntkit.SignIn (`huntkit-auth.html`): hands the sign-in response in
// this popup back to the notebook page that opened it (msal-browser v5's redirect bridge).
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

broadcastResponseToMainFrame().catch((err) => {
  document.body.textContent = `huntkit sign-in: ${err?.errorCode ?? err?.message ?? err}`;
});
