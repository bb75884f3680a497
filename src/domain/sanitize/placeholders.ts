/**
 * Telling a stand-in from a secret. A vendor token is judged by its shape only: a real one is random,
 * so it may hold `abcdef`, `0123456` or `test` by chance, and still be a secret. A value is a stand-in
 * when it is a template (`<token>`, `${{ secrets.X }}`, `$VAR`), names itself as one (`EXAMPLE`,
 * `placeholder`, `your_api_key`), or is filler: repeated or sequential runs and stand-in words that
 * leave next to nothing over (`xxxx…`, `0123456789abcdef…`, `your-token-here`).
 */

/** Templates and masks: `<…>`, `${…}`, `{{…}}`, `{…}` (f-strings), `$VAR`, `%(x)s`, env look-ups, `***`, `...`. */
export function isTemplate(value: string): boolean {
  return (
    /^<.*>$/s.test(value) ||
    /\{[^}]*\}/.test(value) ||
    /^\$[A-Za-z_{]/.test(value) ||
    value.startsWith('%(') ||
    /os\.environ|getenv|process\.env/.test(value) ||
    /\*\*\*|\.\.\./.test(value)
  );
}

/**
 * Words of seven letters or more that only a stand-in spells (`AKIAIOSFODNN7EXAMPLE`,
 * `wJalr…/bPxRfiCYEXAMPLEKEY`, `your_api_key`): a random token spells one about once in a billion.
 */
const SELF_NAMED_STAND_IN =
  /example|placeholder|redacted|changeme|change[_-]me|your[_-]?(?:api[_-]?)?(?:key|token|secret)/i;

/**
 * Words a person writes into a value that stands for a secret (`test-client-secret-123`,
 * `replay-token`, `dummy-password-1234`). Only for values under a credential name: a vendor token,
 * being random, is judged by its shape alone (`isFiller`).
 */
const STAND_IN_WORDS = /test|dummy|fake|replay|sample|mock|simulat|(?:^|[^a-z])your[_\- ]/i;

/**
 * Words that fill a stand-in out to a token's length (`ghp_your_github_token_here`), removed before
 * what is left over is counted.
 */
const FILLER_WORDS =
  /your|here|insert|replace|enter|paste|token|secret|passw(?:or)?d|api|key|access|client|value|example|sample|dummy|fake|mock|test|placeholder|redacted|changeme|github|gitlab|slack|stripe|openai|anthropic|google|aws|personal|bearer|live/g;

/** The order a person types a run in: `0123456789abcdefghijklmnopqrstuvwxyz` (`9` to `a` included). */
const SEQUENCE = '0123456789abcdefghijklmnopqrstuvwxyz';
/**
 * Repeats are also looked for at strides up to this (`abcabc…` repeats at 3). Sequences count only
 * at stride 1: `a1B2c3D4…` interleaves two, and a made-up token like it is redacted rather than
 * taken for filler.
 */
const MAX_STRIDE = 4;
/** A run counts as filler from this many characters. */
const MIN_RUN = 3;
/** A value is filler when no more than this share of its characters is left over. */
const MAX_LEFT_OVER = 0.2;

/**
 * True when `value` is filler rather than random: with case and separators dropped and stand-in
 * words removed, its characters are runs of one repeated character or of consecutive ones (`xxxx`,
 * `0000`, `0123456789abcdef`) or a short unit repeated (`abcabc`, `1a1a1a`), with at most a fifth of
 * them (or 1, in a short value) left over. An empty value is filler. A random token of 16
 * characters or more leaves almost all its characters over, whatever runs it holds by chance.
 */
export function isFiller(value: string): boolean {
  const letters = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (letters.length === 0) return true;
  const parts = letters
    .replace(FILLER_WORDS, ' ')
    .split(' ')
    .filter((part) => part.length > 0);
  const leftOver = parts.reduce((sum, part) => sum + countLeftOver(part), 0);
  return leftOver <= Math.max(1, Math.floor(letters.length * MAX_LEFT_OVER));
}

/** Characters of `part` that belong to no run of `MIN_RUN` or more at any stride up to `MAX_STRIDE`. */
function countLeftOver(part: string): number {
  const covered = new Array<boolean>(part.length).fill(false);
  const cover = (run: number[]) => {
    if (run.length >= MIN_RUN) for (const at of run) covered[at] = true;
  };
  for (let stride = 1; stride <= MAX_STRIDE; stride += 1) {
    for (let start = 0; start < Math.min(stride, part.length); start += 1) {
      let run = [start];
      for (let index = start + stride; index < part.length; index += stride) {
        if (follows(part.charAt(index - stride), part.charAt(index), stride)) {
          run.push(index);
        } else {
          cover(run);
          run = [index];
        }
      }
      cover(run);
    }
  }
  return covered.filter((isCovered) => !isCovered).length;
}

/** True when `next` repeats `previous` or, at stride 1, comes right after it in `SEQUENCE`. */
function follows(previous: string, next: string, stride: number): boolean {
  return next === previous || (stride === 1 && SEQUENCE.indexOf(next) === SEQUENCE.indexOf(previous) + 1);
}

/**
 * True for a vendor token's stand-in: a template or mask, a self-named stand-in (`EXAMPLE`,
 * `your_token`), or filler once the vendor's prefix is dropped (`body`). Digits and letters that a
 * random token holds by chance (`abcdef`, `0123456`, `test`) never make it one.
 */
export function isStandInToken(secret: string, body: string): boolean {
  return isTemplate(secret) || SELF_NAMED_STAND_IN.test(secret) || isFiller(body);
}

/**
 * True when a value under a credential name stands for a secret rather than being one: a template
 * or mask, a stand-in word (`test`, `dummy`, `fake`, `replay`, `example`, `your_`…), or filler
 * (`xxxxxxxx`, `0123456789abcdef0123456789abcde-us1`). A JWT is judged by its signature alone.
 */
export function isPlaceholder(value: string): boolean {
  const jwt = JWT.exec(value);
  if (jwt !== null) return isStandInToken(value, jwt[1] === '' ? value : (jwt[1] ?? ''));
  return (
    isTemplate(value) || SELF_NAMED_STAND_IN.test(value) || STAND_IN_WORDS.test(value) || isFiller(value)
  );
}

/** A JWT, judged like a vendor token by its signature (its random part), captured. */
const JWT = /^eyJ[\w-]*\.[\w-]*\.([\w-]*)$/;

/** Shannon entropy of `value` in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
