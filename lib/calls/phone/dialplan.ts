// The [attendant-features] dialplan context for the configured feature codes: each code hands its
// feature name (and the digits after it) to the controller. `attendant feature-codes` prints it;
// dialplan/extensions_attendant.conf ships the one for the default codes.
import { FEATURE_NAMES, type FeatureName } from '../../config.ts';

/** what a code takes after it: nothing, one digit, a slot of one or two digits, or optionally one digit */
const TAIL: Readonly<Record<FeatureName, 'none' | 'digit' | 'slot' | 'optional-digit'>> = {
  login: 'none', logout: 'none', 'dnd-on': 'none', present: 'none', mode: 'digit',
  retrieve: 'optional-digit', 'park-retrieve': 'slot', 'queue-pickup': 'none', callback: 'none',
};

export function featureContext(codes: Readonly<Record<FeatureName, string>>): string {
  const lines = ['[attendant-features]'];
  // Stasis() in the code's own extension: the channel keeps the dialling phone's context (numbering.phoneContexts)
  const entry = (exten: string, args: string) => lines.push(`exten => ${exten},1,Stasis(attendant,feature,${args})`, ' same => n,Congestion(5)');
  for (const name of FEATURE_NAMES) {
    const code = codes[name];
    const withTail = `${name},\${EXTEN:${code.length}}`;
    switch (TAIL[name]) {
      case 'none': entry(code, name); break;
      case 'digit': entry(`_${code}X`, withTail); break;
      case 'optional-digit': entry(code, name); entry(`_${code}X`, withTail); break;
      case 'slot': entry(`_${code}X`, withTail); entry(`_${code}XX`, withTail); break;
    }
  }
  return `${lines.join('\n')}\n`;
}
