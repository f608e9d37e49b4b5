// The template gallery: one card per built-in architecture (name, vendor badge, description)
// plus one import button per format the core reads. Shown on the empty canvas and in the
// File → New dialog.
import type { TemplateInfo } from "../ipc";
import { importDialog, newFromTemplateName, useUi } from "./files";

/** "aws-api-lambda-dynamodb" → "API Lambda DynamoDB" (vendor prefix dropped, known acronyms kept). */
export function templateTitle(t: TemplateInfo): string {
  const UPPER = new Set(["api", "sqs", "sns", "s3", "gcp", "aws", "iot", "etl", "cdn", "rest", "http", "jwt", "vpc"]);
  const SPELLED: Record<string, string> = {
    eventbridge: "EventBridge",
    dynamodb: "DynamoDB",
    cosmosdb: "Cosmos DB",
    cloudfront: "CloudFront",
    pubsub: "Pub/Sub",
    appsync: "AppSync",
    graphql: "GraphQL",
  };
  const words = t.name.split("-");
  if (words[0] === t.vendor) words.shift();
  return words.map((w) => SPELLED[w] ?? (UPPER.has(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1))).join(" ");
}

export function ImportButtons() {
  const formats = useUi((s) => s.formats);
  return (
    <div className="import-buttons">
      {(formats?.import ?? []).map((f) => (
        <button
          type="button"
          key={f.name}
          onClick={() => void importDialog(f.name)}
          data-testid={`import-${f.name}`}
          title={`Import a ${f.label} (${f.extensions.map((e) => `.${e}`).join(", ")})`}
        >
          Import {f.label}…
        </button>
      ))}
    </div>
  );
}

export default function TemplateGallery() {
  const templates = useUi((s) => s.templates);
  if (!templates) return <p className="muted">Loading templates…</p>;
  return (
    <ul className="template-grid" data-testid="template-gallery">
      {templates.map((t) => (
        <li key={t.name}>
          <button
            type="button"
            className="template-card"
            data-testid={`template-${t.name}`}
            onClick={() => void newFromTemplateName(t.name)}
            title={`New model from the ${t.name} template`}
          >
            <span className="template-head">
              <span className="template-name">{templateTitle(t)}</span>
              <span className={`vendor-badge vendor-${t.vendor}`}>{t.vendor.toUpperCase()}</span>
            </span>
            <span className="template-desc">{t.description}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
