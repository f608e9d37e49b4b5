// Entry point: mounts <App/> into #root. Styles come from CSS files only (the CSP forbids
// runtime <style> injection). Start-up errors are shown as text by public/boot.js.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./theme.css";
import "./app.css";
import App from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("#root element missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
