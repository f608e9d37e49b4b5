// The palette catalog and property schema from the core (`get_schema`), loaded once.
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { PropertyInfo } from "../bindings/PropertyInfo";
import type { Schema } from "../bindings/Schema";
import type { ElementKind } from "../bindings/ElementKind";

export const schemaStore = createStore<{ schema: Schema | null }>()(() => ({ schema: null }));
export const useSchema = () => useStore(schemaStore, (s) => s.schema);

export function categoryOfType(schema: Schema | null, type: string): string | null {
  if (type.startsWith("generic.")) return type.slice(8);
  return schema?.vendor_types.find((v) => v.type === type)?.category ?? null;
}

/** The typed properties of an element of `kind`/`category`, in schema order. */
export function elementProperties(schema: Schema | null, kind: ElementKind, category: string | null): PropertyInfo[] {
  return (schema?.properties ?? []).filter(
    (p) => !p.flow && p.kind === kind && (p.categories.length === 0 || (category !== null && p.categories.includes(category))),
  );
}

export function flowProperties(schema: Schema | null): PropertyInfo[] {
  return (schema?.properties ?? []).filter((p) => p.flow);
}
