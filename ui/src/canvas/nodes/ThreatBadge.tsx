// Open-threat badge: count + severity letter, coloured by the highest severity. The letter
// keeps the meaning when colour cannot be seen.
import { SEVERITY_LETTER, type Badge } from "../convert";

export default function ThreatBadge({ id, badge }: { id: string; badge: Badge }) {
  const sev = badge.top ?? "none";
  const letter = badge.top ? SEVERITY_LETTER[badge.top] : "✓";
  const title = badge.top ? `${badge.count} open threat${badge.count === 1 ? "" : "s"}, highest ${badge.top}` : "No open threats";
  return (
    <span className={`threat-badge sev-${sev}`} data-testid={`badge-${id}`} data-count={badge.count} data-severity={sev} title={title}>
      <span className="badge-letter">{letter}</span>
      {badge.count > 0 && <span className="badge-count">{badge.count}</span>}
    </span>
  );
}
