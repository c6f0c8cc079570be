/** @jsxImportSource hono/jsx */
import type { FlaggedCase } from '@madad/adapters';
import { type Appeal, formatPakistanTime, maskPhone } from '@madad/core';

export interface ReviewData {
  readonly appeals: readonly Appeal[];
  /** Undefined when the signed-in role may not list them. */
  readonly provisional?: readonly Record<string, unknown>[];
  readonly flagged: readonly FlaggedCase[];
  readonly canResolve: boolean;
  /** The appeal whose resolution was refused, with what was typed. */
  readonly refused?: { appealId: string; outcome: string; reason: string; error: string };
}

export const REVIEW_LIMIT = 50;

const when = (iso: unknown) => (typeof iso === 'string' ? formatPakistanTime(iso) : '');

function Appeals({ data }: { data: ReviewData }) {
  if (data.appeals.length === 0) return <p id="no-appeals">No open appeals.</p>;
  return (
    <>
      {data.appeals.map((a) => (
        <article class="card" id={`appeal-${a.appealId}`}>
          <h3>
            {a.appealId} <span class="tag">{a.status}</span>
          </h3>
          <p class="muted">
            Opened {when(a.openedAt)} from {maskPhone(a.phone)} ({a.lang})
          </p>
          <blockquote>{a.note || '(no text)'}</blockquote>
          <p>
            Against:{' '}
            {a.decision
              ? `${a.decision.decision.status} (${a.decision.decision.reasons.join(', ')}), ref ${a.decision.reference}`
              : 'no earlier decision'}
          </p>
          <p>
            <a href={`/console/appeals#appeal-${a.appealId}`}>Work on {a.appealId} in Appeals</a> (household,
            assignment, notes, decision)
          </p>
        </article>
      ))}
    </>
  );
}

function Provisional({ items }: { items: readonly Record<string, unknown>[] }) {
  if (items.length === 0) return <p id="no-provisional">No provisional households.</p>;
  return (
    <div class="scroll">
      <table id="provisional">
        <thead>
          <tr>
            <th>Household</th>
            <th>Area</th>
            <th>Registered</th>
            <th>Head</th>
            <th>Answers</th>
          </tr>
        </thead>
        <tbody>
          {items.map((h) => {
            const members = Array.isArray(h.members) ? (h.members as Record<string, unknown>[]) : [];
            const answers = h.answers as { size?: number; children?: number; assets?: string[] } | undefined;
            return (
              <tr>
                <td>
                  <a href={`/console/households/${String(h.householdId ?? '')}`}>
                    {String(h.householdId ?? '')}
                  </a>
                </td>
                <td>
                  {String(h.district || '?')} / {String(h.tehsil || '?')}
                </td>
                <td>{when(h.registeredAt)}</td>
                <td>{String(members[0]?.cnicMasked ?? '')}</td>
                <td>
                  {answers
                    ? `${answers.size ?? '?'} people, ${answers.children ?? '?'} children; assets: ${answers.assets?.join(', ') || 'none'}`
                    : 'none given'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Flagged({ items }: { items: readonly FlaggedCase[] }) {
  if (items.length === 0) return <p id="no-flagged">No flagged cases.</p>;
  return (
    <div class="scroll">
      <table id="flagged">
        <thead>
          <tr>
            <th>Decided</th>
            <th>Flag</th>
            <th>Reasons</th>
            <th>Phone</th>
            <th>Reference</th>
            <th>Household</th>
          </tr>
        </thead>
        <tbody>
          {items.map((f) => (
            <tr>
              <td>{when(f.decidedAt)}</td>
              <td>{f.status}</td>
              <td>{f.reasons.join(', ')}</td>
              <td>{f.phoneMasked}</td>
              <td>{f.reference}</td>
              <td>
                {f.cnicHash ? (
                  <a href={`/console/people/${f.cnicHash}`} title={`message ${f.messageId}`}>
                    Profile
                  </a>
                ) : (
                  f.messageId
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The review queue: open appeals with approve / reject, provisional households, flagged cases. */
export function ReviewSections({ data }: { data: ReviewData }) {
  return (
    <>
      <h2>Open appeals</h2>
      <Appeals data={data} />
      <h2>Provisional households (not in the registry)</h2>
      {data.provisional ? (
        <Provisional items={data.provisional} />
      ) : (
        <p class="muted">Only programme officers see provisional households.</p>
      )}
      <h2>Flagged cases</h2>
      <p class="muted">
        Phones over their registration limit and CNICs the ID authority did not confirm, newest first (the
        latest {REVIEW_LIMIT} of each; open a case's household profile for the full record).
      </p>
      <Flagged items={data.flagged} />
    </>
  );
}
