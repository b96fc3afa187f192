// Starts the dashboard: the stored theme first (so that the page does not
// flash the other one), then the wasm app, which replaces the loading line.
// A file rather than an inline script: the CSP allows scripts from 'self' only.
import init from "/dashboard/dashboard.js";

try {
  const theme = localStorage.getItem("ec-theme");
  if (theme === "dark" || theme === "light") document.documentElement.classList.add(theme);
} catch (_) {
  // Storage refused (private mode): follow the system theme.
}

init({ module_or_path: "/dashboard/dashboard_bg.wasm" }).catch((error) => {
  const boot = document.getElementById("boot");
  if (boot) {
    boot.setAttribute("role", "alert");
    boot.textContent = "The dashboard could not start: " + error + ". Reload the page to try again.";
  }
});
