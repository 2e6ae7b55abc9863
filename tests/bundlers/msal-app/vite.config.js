// Two pages: the app and MSAL's redirect page (msal-browser v5 needs one on the app's origin).
export default { build: { rollupOptions: { input: ["index.html", "redirect.html"] } } };
