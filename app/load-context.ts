import type { ServerFault } from "~/db.server";
import type { HtmlFragment } from "~/html-fragment.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    clientIp: string;
    /**
     * Set by handleError (entry.server) when the request failed because of the server
     * (serverFault: the database cannot be reached, the disk is full): the answer is then
     * the fault's status (503 with Retry-After, 507) and a page that says why, not 500.
     */
    serverFault?: ServerFault | null;
    /**
     * Set by a loader whose page carries a pre-rendered part (the dashboard's content): its
     * component renders fragmentMarker there and entry.server splices the part in.
     */
    htmlFragment?: HtmlFragment;
  }
}
