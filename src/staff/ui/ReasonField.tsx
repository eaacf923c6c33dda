/** The "Reason" box of an audited staff action (cancel, plate correction), with quick choices that fill it. */
export function ReasonField({
  value,
  onChange,
  placeholder,
  rows,
  quickReasons,
}: {
  value: string;
  onChange: (reason: string) => void;
  placeholder: string;
  rows: number;
  quickReasons: readonly string[];
}) {
  return (
    <>
      <label className="field">
        <span>Reason</span>
        <textarea value={value} maxLength={200} rows={rows} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} />
      </label>
      <div className="chips">
        {quickReasons.map((r) => (
          <button key={r} type="button" className="chip" onClick={() => onChange(r)}>
            {r}
          </button>
        ))}
      </div>
    </>
  );
}
