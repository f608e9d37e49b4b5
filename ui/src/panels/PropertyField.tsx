// One typed property from the core's schema: an input chosen by its type, the documented
// default as placeholder, and its one-line "why it matters". Unset = the default applies.
import type { PropertyInfo } from "../bindings/PropertyInfo";
import type { Value } from "../bindings/Value";
import { useEffect, useState } from "react";

/** Comma-separated list: keeps the typed text (trailing commas included) while editing. */
function ListInput({ id, placeholder, value, onChange }: { id: string; placeholder: string; value: Value | undefined; onChange: (v: Value | undefined, typing?: boolean) => void }) {
  const [text, setText] = useState(show(value));
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(show(value));
  }, [value, focused]);
  return (
    <input
      id={id}
      data-testid={id}
      type="text"
      placeholder={placeholder}
      value={text}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onChange={(e) => {
        setText(e.target.value);
        const items = e.target.value.split(",").map((x) => x.trim()).filter(Boolean);
        onChange(items.length ? items : undefined, true);
      }}
    />
  );
}

function show(v: Value | null | undefined): string {
  if (v === null || v === undefined) return "";
  return Array.isArray(v) ? v.join(", ") : String(v);
}

export default function PropertyField({ prop, value, onChange }: { prop: PropertyInfo; value: Value | undefined; onChange: (v: Value | undefined, typing?: boolean) => void }) {
  const label = prop.name.replace(/_/g, " ");
  const def = prop.default === null ? "unset" : show(prop.default) || "empty";
  const id = `prop-${prop.name}`;
  let input;
  switch (prop.ty.kind) {
    case "bool":
      input = (
        <select id={id} data-testid={id} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value === "true")}>
          <option value="">default ({def})</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
      break;
    case "enum":
      input = (
        <select id={id} data-testid={id} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
          <option value="">default ({def})</option>
          {prop.ty.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case "int": {
      const { min, max } = prop.ty;
      input = (
        <input
          id={id}
          data-testid={id}
          type="number"
          min={min}
          max={max}
          placeholder={def}
          value={typeof value === "number" ? value : ""}
          onChange={(e) => {
            const n = e.target.value === "" ? undefined : Math.round(Number(e.target.value));
            if (n === undefined || Number.isFinite(n)) onChange(n, true);
          }}
        />
      );
      break;
    }
    case "list":
      input = <ListInput id={id} placeholder={`${def} — comma-separated`} value={value} onChange={onChange} />;
      break;
    default:
      input = <input id={id} data-testid={id} type="text" placeholder={def} value={show(value)} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value, true)} />;
  }
  return (
    <div className={`prop-row${value !== undefined ? " is-set" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {input}
      <p className="prop-doc">{prop.doc}</p>
    </div>
  );
}
