// The one and only bridge between the UI and the Rust backend.
//
// Rule: no other module may import `@tauri-apps/api` (enforced by src/ipc/boundary.test.ts).
// Every command the UI uses gets a typed wrapper here, so the command surface stays small,
// reviewable and easy to mock in tests.
import { invoke } from "@tauri-apps/api/core";

/** Mirrors `AppInfo` in src-tauri/src/commands/mod.rs. */
export interface AppInfo {
  version: string;
}

/** Mirrors `CommandError` in src-tauri/src/error.rs (serialized as `{ code, message }`). */
export interface CommandError {
  code: string;
  message: string;
}

export function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

function toCommandError(err: unknown): CommandError {
  if (isCommandError(err)) return err;
  // Outside the Tauri webview (plain browser, no mock) invoke() throws a TypeError.
  const message = err instanceof Error ? err.message : String(err);
  return { code: "ipc_unavailable", message };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toCommandError(err);
  }
}

/** Version and build facts of the running app. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}
