// Header bar: app name, and the version reported by the Rust backend (`app_info`).
import { useEffect, useState } from "react";
import { appInfo, type CommandError } from "../ipc";

type VersionState =
  | { kind: "loading" }
  | { kind: "ready"; version: string }
  | { kind: "error"; error: CommandError };

export default function Header() {
  const [state, setState] = useState<VersionState>({ kind: "loading" });

  useEffect(() => {
    let alive = true;
    appInfo()
      .then((info) => alive && setState({ kind: "ready", version: info.version }))
      .catch((error: CommandError) => alive && setState({ kind: "error", error }));
    return () => {
      alive = false;
    };
  }, []);

  return (
    <header className="app-header">
      <span className="app-name">Threatwright</span>
      {state.kind === "ready" && (
        <span className="app-version" data-testid="app-version" title="Threatwright version">
          v{state.version}
        </span>
      )}
      {state.kind === "loading" && <span className="app-version muted">…</span>}
      {state.kind === "error" && (
        <span
          className="app-version error"
          data-testid="app-version-error"
          title={`${state.error.code}: ${state.error.message}`}
        >
          version unavailable
        </span>
      )}
      <span className="header-spacer" />
      <span className="model-name muted">Untitled model</span>
    </header>
  );
}
