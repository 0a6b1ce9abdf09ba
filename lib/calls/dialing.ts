// Where the controller rings a number an operator (or a guest) gave it: through the dialplan, as a phone
// of the site would dial it (`Local/<number>@<asterisk.dialContext>`, dialplan/extensions_attendant.conf
// [attendant-dial]), so an extension rings with its forwarding and voicemail, a ring group or an external
// number through the trunk works, and a number the site does not have ends at once (cause 1). An
// extension number is not an endpoint name: `PJSIP/200` is refused when the phone behind 200 is `ext200`.
// An attendant set named by its extension is rung directly, as the presentations ring it.
import type { Config } from '../config.ts';

export function dialString(config: Config, number: string): string {
  const set = config.attendants.find((a) => a.extension === number);
  return set ? set.device : `Local/${number}@${config.asterisk.dialContext}`;
}
