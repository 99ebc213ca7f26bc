import type { TextKey } from "../i18n";
import type { ViewId } from "../state";

/** One tab of the page. `render` (re)draws it into its panel, from data it keeps where it can. */
export interface View {
  id: ViewId;
  title: TextKey;
  /** `changed` tells the shell that the shared selection changed (it rewrites the URL). */
  render(panel: HTMLElement, changed: () => void): Promise<void>;
}
