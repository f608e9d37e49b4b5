// @vitest-environment jsdom
// App shell renders and shows the version returned by the (mocked) `app_info` command.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App";

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("App", () => {
  it("shows the version reported by app_info", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "app_info") return { version: "9.8.7-test" };
      throw { code: "unknown_command", message: cmd };
    });
    const view = render(<App />);
    const version = await view.findByTestId("app-version");
    expect(version.textContent).toBe("v9.8.7-test");
    expect(calls).toEqual(expect.arrayContaining(["app_info"]));
    expect(view.getByText("Threatwright")).toBeTruthy();
  });

  it("renders palette groups, canvas empty state and inspector", async () => {
    mockIPC(() => ({ version: "0.0.0" }));
    const view = render(<App />);
    for (const group of ["Compute", "Triggers", "Stores", "External", "Boundaries"]) {
      expect(view.getByText(group)).toBeTruthy();
    }
    expect(view.getByText("Your model is empty")).toBeTruthy();
    expect(view.getByLabelText("Inspector")).toBeTruthy();
    await view.findByTestId("app-version");
  });

  it("shows a clear fallback when the backend reports an error", async () => {
    mockIPC(() => {
      throw { code: "internal", message: "boom" };
    });
    const view = render(<App />);
    const el = await view.findByTestId("app-version-error");
    expect(el.getAttribute("title")).toBe("internal: boom");
  });
});
