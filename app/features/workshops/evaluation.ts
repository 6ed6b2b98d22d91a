/** The questions of the participant evaluation and the labels of its 1–5 scale (pure; the page imports them). */

export const EVALUATION_QUESTIONS = [
  { name: "relevance", legend: "Materi sesuai dengan tugas saya" },
  { name: "clarity", legend: "Penjelasan mudah dipahami" },
  { name: "speaker", legend: "Narasumber menguasai materi" },
] as const;

export const SCALE_LABEL: Record<number, string> = {
  1: "Sangat kurang",
  2: "Kurang",
  3: "Cukup",
  4: "Baik",
  5: "Sangat baik",
};
