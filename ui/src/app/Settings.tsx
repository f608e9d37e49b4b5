// Settings: the user's name, recorded as the owner of triage decisions, who answered a guided
// session and the author of a project's revisions. Blank means the operating system account's
// name. Kept by the shell in the app's configuration folder (`set_user_name`).
import { useEffect, useState } from "react";
import { osUserName, setUserName, type CommandError } from "../ipc";
import { uiStore, useUi } from "./files";
import { setOwner, triageOwner } from "./triage";

export function SettingsDialog() {
  const open = useUi((s) => s.settings);
  const [name, setName] = useState("");
  const [os, setOs] = useState("");
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!open) return;
    setName(triageOwner());
    osUserName().then(setOs, () => setOs(""));
  }, [open]);
  if (!open) return null;
  const close = () => uiStore.setState({ settings: false });
  const save = async () => {
    setSaving(true);
    try {
      const now = await setUserName(name.trim() === os ? "" : name);
      setOwner(now);
      uiStore.setState({ settings: false, notice: `Decisions and answers are now recorded as ${now}` });
    } catch (e) {
      uiStore.setState({ error: e as CommandError });
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="modal-backdrop" onClick={close}>
      <form
        className="modal settings-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="settings-title"
        data-testid="settings-dialog"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 id="settings-title">Settings</h2>
        <label className="settings-field">
          Your name
          <input
            type="text"
            value={name}
            maxLength={100}
            placeholder={os || "your name"}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            data-testid="settings-name"
          />
        </label>
        <p className="muted">
          Recorded as the owner of triage decisions, as who answered a guided session, and as the author of a project's revisions.
          Leave it blank to use your account name{os ? ` (${os})` : ""}.
        </p>
        <div className="modal-actions">
          <button type="button" onClick={close} data-testid="settings-cancel">Cancel</button>
          <button type="submit" className="primary" disabled={saving} data-testid="settings-save">Save</button>
        </div>
      </form>
    </div>
  );
}
