import type { ComponentProps } from "react";
import { GrafikBerat } from "~/features/catalogue/diagrams";
import { answerField } from "~/features/learning/quiz-rules";

export interface FieldsetQuestion {
  id: string;
  prompt: string;
  type: string;
  options: { id: string; text: string }[];
  chart?: Omit<ComponentProps<typeof GrafikBerat>, "idSuffix"> | null;
}

/**
 * One question of a quiz or a session test as a form fieldset (radio, or checkboxes for a
 * multiple-answer item), without JavaScript: the quiz page and the phone pre/post test share it.
 * Its inputs are named `q_<module slug>.<question id>` (answerField): one session test may
 * hold two items of one id from two modules.
 */
export function QuestionFieldset({
  q,
  slug,
  index,
  noun,
  unanswered,
  chosen,
  data,
}: {
  q: FieldsetQuestion;
  /** The question's module. */
  slug: string;
  index: number;
  /** "Pertanyaan" (quiz) or "Soal" (session test). */
  noun: string;
  unanswered: boolean;
  chosen: readonly string[] | undefined;
  data?: Record<`data-${string}`, string>;
}) {
  return (
    <fieldset className={`card ${unanswered ? "border-red-400" : ""}`} {...data}>
      <legend className="sr-only">
        {noun} {index + 1}
      </legend>
      <p className="font-semibold">
        {index + 1}. {q.prompt}
      </p>
      {q.chart ? <GrafikBerat {...q.chart} idSuffix={`${slug}-${q.id}`} /> : null}
      {q.type === "multiple" ? <p className="text-xs text-stone-600">Pilih semua jawaban yang benar.</p> : null}
      {unanswered ? <p className="field-error">{noun} ini belum dijawab.</p> : null}
      <div className="mt-2 space-y-2">
        {q.options.map((o) => (
          <label key={o.id} className="flex items-start gap-3 rounded-md border border-stone-200 p-2 font-normal">
            <input
              type={q.type === "multiple" ? "checkbox" : "radio"}
              name={answerField(slug, q.id)}
              value={o.id}
              defaultChecked={chosen?.includes(o.id)}
              className="mt-1"
            />
            <span>{o.text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
