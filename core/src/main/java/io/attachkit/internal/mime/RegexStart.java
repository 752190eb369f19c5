package io.attachkit.internal.mime;

/**
 * The characters the first few positions of a regex match must hold, read from the start of the regex source,
 * for the simple shapes Tika's magic regexes have; empty whenever the start is not plainly one of those shapes.
 *
 * <p>Understood: leading {@code (?s)} or {@code (?i)} flags and a {@code ^}, then atoms of one character each,
 * as long as each must occur (the first atom that may repeat ends the list after it): a literal character, an escape ({@code \xHH}, {@code \r}, {@code \n}, {@code \t}, {@code \s},
 * {@code \d}, an escaped punctuation mark), a character class of such members and ranges (not negated), or a
 * group whose alternatives each start so. Anything else (a {@code .}, a negated class, an atom that may be
 * absent, alternation at the top level) gives {@code null}, which means "no key": Tika's detector checks
 * that regex in full. Case-insensitive regexes fold ASCII letters only, as Java does without
 * {@code UNICODE_CASE}.
 */
final class RegexStart {
    private final String re;
    private int pos;
    private boolean ignoreCase;

    private RegexStart(String re) {
        this.re = re;
    }

    /**
     * @param regex a regex source
     * @return for the match's positions 0, 1, ...: for each char 0-255, whether it can be there; empty when unsure
     */
    static java.util.List<boolean[]> leadingChars(String regex) {
        try {
            return new RegexStart(regex).parse();
        } catch (RuntimeException e) {
            return java.util.List.of();
        }
    }

    private java.util.List<boolean[]> parse() {
        java.util.List<boolean[]> out = new java.util.ArrayList<>();
        if (topLevelAlternation(re)) {
            return out;
        }
        while (re.startsWith("(?", pos) && pos + 3 < re.length() && re.charAt(pos + 3) == ')'
                && "si".indexOf(re.charAt(pos + 2)) >= 0) {
            ignoreCase |= re.charAt(pos + 2) == 'i';
            pos += 4;
        }
        if (pos < re.length() && re.charAt(pos) == '^') {
            pos++;
        }
        while (pos < re.length() && out.size() < 16) {
            boolean group = re.charAt(pos) == '(';
            boolean[] chars = atom();
            if (chars == null) {
                break;
            }
            if (mayBeAbsent()) {
                if (out.isEmpty()) {
                    // X? Y, X* Y: a match starts with X's first char or Y's
                    skipQuantifier();
                    java.util.List<boolean[]> rest = new RegexStart(re.substring(pos)).withFlags(ignoreCase).parse();
                    if (!rest.isEmpty() && pos < re.length()) {
                        boolean[] union = fold(chars);
                        boolean[] next = rest.get(0);
                        for (int v = 0; v < 256; v++) {
                            union[v] |= next[v];
                        }
                        out.add(union);
                    }
                }
                break;
            }
            out.add(fold(chars));
            if (group || (pos < re.length() && "+{".indexOf(re.charAt(pos)) >= 0)) {
                break; // what follows no longer sits at a fixed position
            }
        }
        return out;
    }

    private RegexStart withFlags(boolean caseless) {
        this.ignoreCase = caseless;
        return this;
    }

    /** Skips {@code ?}, {@code *} or {@code {m,n}} and a lazy or possessive suffix. */
    private void skipQuantifier() {
        char q = re.charAt(pos);
        pos = q == '{' ? re.indexOf('}', pos) + 1 : pos + 1;
        if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
            pos++;
        }
    }

    /** Parses the atom at {@link #pos}, leaving {@link #pos} after it. */
    private boolean[] atom() {
        char c = re.charAt(pos);
        if (c == '[') {
            return charClass();
        }
        if (c == '(') {
            return group();
        }
        if (c == '\\') {
            return escape();
        }
        if (".^$|)*+?{}]".indexOf(c) >= 0) {
            return null;
        }
        pos++;
        return single(c);
    }

    private boolean[] group() {
        int close = matchingParen(pos);
        String body;
        if (re.startsWith("(?:", pos) || re.startsWith("(?>", pos)) {
            body = re.substring(pos + 3, close);
        } else if (re.startsWith("(?", pos)) {
            return null; // lookaround, flags inside: not understood
        } else {
            body = re.substring(pos + 1, close);
        }
        boolean[] union = new boolean[256];
        for (String alternative : splitTopLevel(body)) {
            if (alternative.isEmpty()) {
                return null;
            }
            RegexStart inner = new RegexStart(alternative).withFlags(ignoreCase);
            boolean[] f = inner.atom();
            if (f == null) {
                return null;
            }
            if (inner.mayBeAbsent()) {
                java.util.List<boolean[]> whole = new RegexStart(alternative).withFlags(ignoreCase).parse();
                if (whole.isEmpty()) {
                    return null;
                }
                f = whole.get(0);
            }
            for (int i = 0; i < 256; i++) {
                union[i] |= f[i];
            }
        }
        pos = close + 1;
        return union;
    }

    private boolean[] escape() {
        char n = re.charAt(pos + 1);
        pos += 2;
        switch (n) {
            case 'x' -> {
                int v = Integer.parseInt(re.substring(pos, pos + 2), 16);
                pos += 2;
                return single((char) v);
            }
            case 'r' -> {
                return single('\r');
            }
            case 'n' -> {
                return single('\n');
            }
            case 't' -> {
                return single('\t');
            }
            case 's' -> {
                return chars(" \t\n\u000b\f\r");
            }
            case 'd' -> {
                return chars("0123456789");
            }
            default -> {
                return Character.isLetterOrDigit(n) ? null : single(n);
            }
        }
    }

    private boolean[] charClass() {
        pos++;
        if (re.charAt(pos) == '^') {
            return null;
        }
        boolean[] set = new boolean[256];
        boolean firstMember = true;
        while (re.charAt(pos) != ']' || firstMember) {
            firstMember = false;
            if (re.charAt(pos) == '[' || re.startsWith("&&", pos)) {
                return null;
            }
            int from = memberChar(set);
            if (from == -2) {
                return null;
            }
            if (from >= 0 && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                int to = memberChar(null);
                if (to < 0) {
                    return null;
                }
                for (int v = from; v <= Math.min(to, 255); v++) {
                    set[v] = true;
                }
            }
        }
        pos++;
        return set;
    }

    /** One class member: a char (returned, and set), a set escape (-1, set), or -2 when not understood. */
    private int memberChar(boolean[] set) {
        char c = re.charAt(pos);
        int v;
        if (c == '\\') {
            char n = re.charAt(pos + 1);
            if (n == 's' || n == 'd') {
                boolean[] s = n == 's' ? chars(" \t\n\u000b\f\r") : chars("0123456789");
                pos += 2;
                if (set != null) {
                    for (int i = 0; i < 256; i++) {
                        set[i] |= s[i];
                    }
                }
                return -1;
            }
            if (n == 'x') {
                v = Integer.parseInt(re.substring(pos + 2, pos + 4), 16);
                pos += 4;
            } else if (n == 'r' || n == 'n' || n == 't') {
                v = n == 'r' ? '\r' : n == 'n' ? '\n' : '\t';
                pos += 2;
            } else if (!Character.isLetterOrDigit(n)) {
                v = n;
                pos += 2;
            } else {
                return -2;
            }
        } else {
            v = c;
            pos++;
        }
        if (set != null && v < 256) {
            set[v] = true;
        }
        return v;
    }

    /** Whether the atom just parsed is followed by a quantifier that allows zero occurrences. */
    private boolean mayBeAbsent() {
        if (pos >= re.length()) {
            return false;
        }
        char q = re.charAt(pos);
        if (q == '?' || q == '*') {
            return true;
        }
        if (q == '{') {
            int i = pos + 1;
            while (i < re.length() && Character.isWhitespace(re.charAt(i))) {
                i++;
            }
            return i >= re.length() || re.charAt(i) == '0' || re.charAt(i) == ',';
        }
        return false;
    }

    private boolean[] fold(boolean[] set) {
        if (ignoreCase) {
            for (int v = 'a'; v <= 'z'; v++) {
                boolean either = set[v] || set[v - 32];
                set[v] = either;
                set[v - 32] = either;
            }
        }
        return set;
    }

    private static boolean[] single(char c) {
        boolean[] set = new boolean[256];
        if (c < 256) {
            set[c] = true;
        }
        return set;
    }

    private static boolean[] chars(String s) {
        boolean[] set = new boolean[256];
        for (char c : s.toCharArray()) {
            set[c] = true;
        }
        return set;
    }

    /** Index of the ')' closing the '(' at {@code open}, skipping escapes and classes. */
    private int matchingParen(int open) {
        int depth = 0;
        for (int i = open; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(re, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced");
    }

    private static int classEnd(String s, int open) {
        int i = open + 1;
        if (i < s.length() && s.charAt(i) == '^') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                throw new IllegalArgumentException("nested class");
            } else if (c == ']') {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed class");
    }

    private static java.util.List<String> splitTopLevel(String s) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(s, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static boolean topLevelAlternation(String s) {
        return splitTopLevel(s).size() > 1;
    }
}
