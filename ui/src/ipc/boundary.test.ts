// Guard: only src/ipc/index.ts may import @tauri-apps/api (tests may import its mocks).
import { describe, expect, it } from "vitest";

const sources = import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("IPC boundary", () => {
  it("finds the sources", () => {
    expect(Object.keys(sources)).toContain("./index.ts");
    expect(Object.keys(sources).length).toBeGreaterThan(3);
  });

  it("only src/ipc/index.ts imports @tauri-apps/api", () => {
    const offenders = Object.entries(sources)
      .filter(([path, text]) => path !== "./index.ts" && /["']@tauri-apps\/api/.test(text))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
