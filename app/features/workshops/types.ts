/** Types shared by the workshop pages and their server modules. */

export interface WorkshopFormOptions {
  regions: { code: string; name: string; level: string }[];
  modules: { slug: string; title: string }[];
}

export interface WorkshopCardData {
  id: number;
  title: string;
  kindLabel: string;
  statusLabel: string;
  status: string;
  when: string;
  venue: string;
  regionName: string;
  enrolled: number;
  waitlisted: number;
  capacity: number;
  myEnrolment: string | null;
  canSelfEnrol: boolean;
}
