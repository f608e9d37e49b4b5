// @vitest-environment jsdom
// Components read the document store of the surrounding DocProvider, so a test can seed its own.
import { describe, expect, it } from "vitest";
import type { ReactNode } from "react";
import { renderHook } from "@testing-library/react";
import { createDocStore, DocProvider, docStore, emptyModel, useDoc, useDocStore } from "./document";

describe("DocProvider", () => {
  it("gives components a store of their own instead of the app's", () => {
    const own = createDocStore(emptyModel("seeded"), "/seeded.yaml");
    const wrapper = ({ children }: { children: ReactNode }) => <DocProvider value={own}>{children}</DocProvider>;
    const { result } = renderHook(() => [useDoc((s) => s.model.name), useDocStore()] as const, { wrapper });
    expect(result.current[0]).toBe("seeded");
    expect(result.current[1]).toBe(own);
  });
  it("falls back to the app's store", () => {
    const { result } = renderHook(() => useDocStore());
    expect(result.current).toBe(docStore);
  });
});
