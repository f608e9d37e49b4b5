// The native menu bar's items (`MENUS` in src-tauri/src/menu.rs) mapped to the actions the
// toolbar and the keyboard already run: one `"id": action` line per item, no logic of their own.
// The shell sends each click as `tw://menu` with the item id; a list item carries its value after
// a colon ("file.recent:/models/a.yaml", "file.export:pdf"). The Rust test
// `the_page_handles_every_menu_id_and_no_other` reads this table, so the two cannot drift.
//
// The menu's keys are only shown: the shell leaves every key press to the page (`useShortcuts`),
// which decides by focus. A click on an Edit item while a text field has focus acts on the field.
import { useEffect } from "react";
import { useReactFlow } from "@xyflow/react";
import { onMenu } from "../ipc";
import { docStore } from "../store/document";
import { cut, duplicate, autoLayout } from "../canvas/actions";
import { canvasUi } from "../canvas/canvasUi";
import { openGuide } from "../help/Guide";
import { startTour } from "../help/Tour";
import { startSession } from "./session";
import { isTyping } from "./useShortcuts";
import { exportAs, importDialog, newModel, openDialog, openPath, quit, save, saveAs, togglePresenting, uiStore } from "./files";

/** What an action needs from the mounted editor. */
export interface MenuContext {
  /** Fits the diagram in view (React Flow's instance lives in the component tree). */
  fit: () => void;
}

/** An Edit item on the focused text field when there is one (its own undo, select all…), else on the diagram. */
const edit = (command: string, onDiagram: () => void) => () => {
  if (isTyping(document.activeElement)) document.execCommand(command);
  else onDiagram();
};
const doc = () => docStore.getState();

export const ACTIONS: Record<string, (arg: string, ctx: MenuContext) => unknown> = {
  "file.new": () => newModel(),
  "file.open": () => openDialog(),
  "file.recent": (path) => path && openPath(path),
  "file.save": () => save(),
  "file.save-as": () => saveAs(),
  "file.import": (format) => importDialog(format),
  "file.export": (format) => exportAs(format),
  "file.reimport": () => uiStore.setState({ reimport: { stage: "choose" } }),
  "file.quit": () => quit(),
  "edit.undo": edit("undo", () => doc().undo()),
  "edit.redo": edit("redo", () => doc().redo()),
  "edit.cut": edit("cut", cut),
  "edit.copy": edit("copy", () => doc().copy()),
  "edit.paste": edit("paste", () => doc().paste()),
  "edit.duplicate": () => duplicate(doc().selection),
  "edit.delete": edit("delete", () => doc().deleteSelection()),
  "edit.select-all": edit("selectAll", () => doc().selectAll()),
  "edit.find": () => canvasUi.setState({ find: true, menu: null }),
  "edit.settings": () => uiStore.setState({ settings: true }),
  "view.fit": (_, ctx) => ctx.fit(),
  "view.layout": (_, ctx) => autoLayout(ctx.fit),
  "view.register": () => uiStore.setState({ register: !uiStore.getState().register }),
  "view.session": () => startSession(),
  "view.present": () => togglePresenting(),
  "help.guide": () => openGuide("README.md"),
  "help.first-model": () => openGuide("first-model.md"),
  "help.shortcuts": () => uiStore.setState({ help: true }),
  "help.tour": () => startTour(),
  "help.about": () => uiStore.setState({ about: true }),
};

/** Runs the action of menu item `id`; an unknown id does nothing. */
export function dispatchMenu(id: string, ctx: MenuContext): void {
  const colon = id.indexOf(":");
  const key = colon < 0 ? id : id.slice(0, colon);
  const arg = colon < 0 ? "" : id.slice(colon + 1);
  void ACTIONS[key]?.(arg, ctx);
}

/** Listens to the menu bar while the editor is mounted (inside the React Flow provider). */
export function useMenu(): void {
  const rf = useReactFlow();
  useEffect(() => onMenu((id) => dispatchMenu(id, { fit: () => void rf.fitView({ padding: 0.15, duration: 300 }) })), [rf]);
}
