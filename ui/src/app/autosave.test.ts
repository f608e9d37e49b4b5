import { describe, expect, it, vi } from "vitest";
import { createDocStore, emptyModel } from "../store/document";
import { makeAutosaver } from "./autosave";

describe("autosave", () => {
  it("writes only unsaved changes, once per change, and retries after a failure", async () => {
    const store = createDocStore(emptyModel(), "/m.twm");
    const save = vi.fn().mockResolvedValue(null);
    const tick = makeAutosaver(store, save);
    expect(await tick()).toBe(false); // clean
    store.getState().setModelName("edited");
    expect(await tick()).toBe(true);
    expect(save).toHaveBeenLastCalledWith("/m.twm", store.getState().model);
    expect(await tick()).toBe(false); // nothing new
    store.getState().setModelName("edited again");
    save.mockRejectedValueOnce({ code: "autosave_failed", message: "disk full" });
    expect(await tick()).toBe(false);
    expect(await tick()).toBe(true);
    expect(save).toHaveBeenCalledTimes(3);
  });
  it("untitled models autosave with a null path", async () => {
    const store = createDocStore();
    const save = vi.fn().mockResolvedValue(null);
    store.getState().setModelName("x");
    await makeAutosaver(store, save)();
    expect(save.mock.calls[0][0]).toBeNull();
  });
});
