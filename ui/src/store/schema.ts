// The palette catalog and property schema from the core (`get_schema`), loaded once.
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { PropertyInfo } from "../bindings/PropertyInfo";
import type { Schema } from "../bindings/Schema";
import type { ElementKind } from "../bindings/ElementKind";
import type { Element } from "../bindings/Element";

export const schemaStore = createStore<{ schema: Schema | null }>()(() => ({ schema: null }));
export const useSchema = () => useStore(schemaStore, (s) => s.schema);

/** Category of a vendor type as the core's catalog serves it (`generic.*` types included), or null when unknown. */
export function categoryOfType(schema: Schema | null, type: string): string | null {
  return schema?.vendor_types.find((v) => v.type === type)?.category ?? null;
}

/** The category the core assumes for an element of `kind` whose type it does not know. */
export function defaultCategory(schema: Schema | null, kind: ElementKind): string | null {
  return schema?.categories.find((c) => c.kind === kind && c.default_for_kind)?.id ?? null;
}

/** Category of an element for drawing: its type's, else its kind's default; null before the schema loads. */
export function elementCategory(schema: Schema | null, element: Pick<Element, "type" | "kind">): string | null {
  return categoryOfType(schema, element.type) ?? defaultCategory(schema, element.kind);
}

/** Hook form of `elementCategory` that re-renders when the schema arrives. */
export const useElementCategory = (element: Pick<Element, "type" | "kind">) => elementCategory(useSchema(), element);

/** The typed properties of an element of `kind`/`category`, in schema order. */
export function elementProperties(schema: Schema | null, kind: ElementKind, category: string | null): PropertyInfo[] {
  return (schema?.properties ?? []).filter(
    (p) => !p.flow && p.kind === kind && (p.categories.length === 0 || (category !== null && p.categories.includes(category))),
  );
}

export function flowProperties(schema: Schema | null): PropertyInfo[] {
  return (schema?.properties ?? []).filter((p) => p.flow);
}
