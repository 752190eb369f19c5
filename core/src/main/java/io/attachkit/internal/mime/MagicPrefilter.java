package io.attachkit.internal.mime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.tika.detect.MagicDetector;
import org.apache.tika.mime.MediaType;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Proves cheaply, for most headers, that none of Tika's magic patterns can match, so that Tika's answer is its
 * no-magic fallback (text or binary by byte statistics) and the full magic pass can be skipped.
 *
 * <p>Why: Tika evaluates some 440 magics one by one, and for a header that none matches (most text) every
 * pattern scans its whole offset range, some of them 8 KiB wide, and regexes decode the header again each time:
 * about 0.3-1 ms per file, many times the cost of writing a small file.
 *
 * <p>How, and why the answer stays Tika's: the magics are read from the same {@code tika-mimetypes.xml} Tika
 * loads. A magic can match only if one of its top-level {@code <match>} clauses matches, and a clause only if
 * its own pattern matches (and, when it has children, one of them can). Each pattern is first tested by a key:
 * one byte position of the pattern and the set of byte values Tika accepts there, found at start-up by asking
 * Tika's own {@link MagicDetector} about all 256 values, so the key is a necessary condition by construction.
 * A pattern whose key byte occurs in its range, or that has no key (regexes), is then checked exactly with
 * Tika's {@link MagicDetector}. Any clause that passes means "maybe": the caller runs Tika's full detection.
 * When custom MIME types are configured (a {@code custom-mimetypes.xml} on the class path or the
 * {@code tika.custom-mimetypes} property), {@link #load()} returns {@code null} and Tika always runs.
 * Thread-safe (immutable).
 */
final class MagicPrefilter {
    private static final String TYPES = "org/apache/tika/mime/tika-mimetypes.xml";
    private static final String CUSTOM_TYPES = "org/apache/tika/mime/custom-mimetypes.xml";

    /** Ranges narrower than this are scanned start by start; wider ones through the header's byte index. */
    private static final int NARROW_RANGE = 64;
    private final Clause[] roots;
    /** The byte values that wide-range patterns look up by position: the only ones the index sorts out. */
    private final boolean[] wideKeys = new boolean[256];

    private MagicPrefilter(Clause[] roots) {
        this.roots = roots;
        for (Clause c : roots) {
            c.markWideKeys(wideKeys);
        }
    }

    /** @return the filter for Tika's bundled types, or {@code null} when custom types make it unsafe */
    static MagicPrefilter load() {
        ClassLoader loader = org.apache.tika.mime.MimeTypes.class.getClassLoader();
        try {
            if (System.getProperty("tika.custom-mimetypes") != null || loader.getResource(CUSTOM_TYPES) != null) {
                return null;
            }
            Enumeration<URL> all = loader.getResources(TYPES);
            URL url = all.hasMoreElements() ? all.nextElement() : null;
            if (url == null || all.hasMoreElements()) {
                return null; // none, or more than one: not sure which one Tika read
            }
            try (InputStream in = url.openStream()) {
                return parse(in);
            }
        } catch (Exception e) {
            return null; // the filter is an optimisation: without it Tika answers every time
        }
    }

    /**
     * @param data the header Tika would look at (not empty)
     * @return {@code false} only when no magic can match it
     */
    boolean anyMagicCanMatch(byte[] data) {
        ByteIndex index = new ByteIndex(data, wideKeys);
        for (Clause c : roots) {
            if (c.possible(data, index)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return for the regex patterns at any depth: how many get another answer from {@link RegexCheck} than from
     *     Tika's own detector on this header, how many were compared, how many Tika's detector matched; for tests
     */
    int[] regexDisagreements(byte[] data) {
        int[] counts = new int[3];
        ByteIndex index = new ByteIndex(data, wideKeys);
        for (Clause c : roots) {
            c.compareRegexes(data, index, counts);
        }
        return counts;
    }

    /** @return how many top-level clauses have no key (always checked exactly); for tests */
    int unkeyedCount() {
        int n = 0;
        for (Clause c : roots) {
            n += c.unkeyed();
        }
        return n;
    }

    static MagicPrefilter parse(InputStream xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(false);
        Element root = f.newDocumentBuilder().parse(xml).getDocumentElement();
        List<Clause> roots = new ArrayList<>();
        NodeList magics = root.getElementsByTagName("magic");
        for (int i = 0; i < magics.getLength(); i++) {
            roots.addAll(children((Element) magics.item(i)));
        }
        return new MagicPrefilter(roots.toArray(Clause[]::new));
    }

    private static List<Clause> children(Element parent) {
        List<Clause> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "match".equals(e.getTagName())) {
                out.add(clause(e));
            }
        }
        return out;
    }

    private static Clause clause(Element e) {
        Clause[] kids = children(e).toArray(Clause[]::new);
        if (e.hasAttribute("minShouldMatch") || !e.hasAttribute("value")) {
            // a group: at least min (>= 1) of its members must match; a group that needs none says nothing
            return minimum(e) >= 1 ? new AnyOf(kids) : new Always();
        }
        String type = e.hasAttribute("type") ? e.getAttribute("type") : "string";
        String offset = e.hasAttribute("offset") ? e.getAttribute("offset") : null;
        String value = e.getAttribute("value");
        String mask = e.hasAttribute("mask") ? e.getAttribute("mask") : null;
        MagicDetector exact;
        try {
            exact = MagicDetector.parse(MediaType.OCTET_STREAM, type, offset, value, mask);
        } catch (RuntimeException bad) {
            return new Always(); // Tika would not have built this clause the same way: never rule it out
        }
        int begin = 0;
        int end = 0;
        if (offset != null) {
            int colon = offset.indexOf(':');
            begin = Integer.parseInt((colon < 0 ? offset : offset.substring(0, colon)).trim());
            end = colon < 0 ? begin : Integer.parseInt(offset.substring(colon + 1).trim());
        }
        Shape shape;
        RegexCheck regex = null;
        if ("regex".equals(type)) {
            byte[][] tikas = tikaPatternAndMask(exact);
            shape = tikas == null ? null
                    : Shape.of(RegexStart.leadingChars(new String(tikas[0], StandardCharsets.UTF_8)), 1, false);
            regex = tikas == null ? null : RegexCheck.of(new String(tikas[0], StandardCharsets.UTF_8), begin, end);
        } else {
            shape = Shape.bytePattern(exact, begin, tikaPatternAndMask(exact), "stringignorecase".equals(type));
        }
        return new Match(exact, regex, begin, end, shape, kids);
    }

    private static final java.util.regex.Pattern DESCRIBED = java.util.regex.Pattern.compile(
            "looking for \\d+ bytes = \\[([-0-9, ]*)\\] mask = \\[([-0-9, ]*)\\]");

    /** The pattern and mask bytes Tika's detector holds, as its {@code toString()} shows them, or {@code null}. */
    private static byte[][] tikaPatternAndMask(MagicDetector exact) {
        java.util.regex.Matcher m = DESCRIBED.matcher(exact.toString());
        if (!m.find() || m.group(1).isBlank() || m.group(2).isBlank()) {
            return null;
        }
        return new byte[][] {bytes(m.group(1)), bytes(m.group(2))};
    }

    private static byte[] bytes(String list) {
        String[] parts = list.split(",\\s*");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Byte.parseByte(parts[i].trim());
        }
        return out;
    }

    private static int minimum(Element group) {
        try {
            return Integer.parseInt(group.getAttribute("minShouldMatch").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One {@code <match>} element or group, and whether it can match a header. */
    private interface Clause {
        boolean possible(byte[] data, ByteIndex index);

        /** Marks the key values this clause (or a child) may look up by position. */
        void markWideKeys(boolean[] keys);

        int unkeyed();

        /** Adds to {@code counts} [disagreements, compared, Tika matched] over this clause's regexes; for tests. */
        default void compareRegexes(byte[] data, ByteIndex index, int[] counts) {
        }
    }

    /** A clause this filter cannot reason about: always "maybe". */
    private record Always() implements Clause {
        @Override
        public boolean possible(byte[] data, ByteIndex index) {
            return true;
        }

        @Override
        public void markWideKeys(boolean[] keys) {
            // no pattern
        }

        @Override
        public int unkeyed() {
            return 1;
        }
    }

    /** A group without a pattern of its own ({@code minShouldMatch}): needs one member at least. */
    private record AnyOf(Clause[] members) implements Clause {
        @Override
        public void markWideKeys(boolean[] keys) {
            for (Clause c : members) {
                c.markWideKeys(keys);
            }
        }

        @Override
        public boolean possible(byte[] data, ByteIndex index) {
            for (Clause c : members) {
                if (c.possible(data, index)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int unkeyed() {
            return Arrays.stream(members).mapToInt(Clause::unkeyed).sum();
        }

        @Override
        public void compareRegexes(byte[] data, ByteIndex index, int[] counts) {
            for (Clause c : members) {
                c.compareRegexes(data, index, counts);
            }
        }
    }

    /** A pattern over an offset range, optionally with children of which one must match too. */
    private record Match(MagicDetector exact, RegexCheck regex, int begin, int end, Shape shape, Clause[] children)
            implements Clause {
        @Override
        public void markWideKeys(boolean[] keys) {
            if (shape != null && end - begin >= NARROW_RANGE) {
                for (int v : shape.keyValues()) {
                    keys[v] = true;
                }
            }
            for (Clause c : children) {
                c.markWideKeys(keys);
            }
        }

        @Override
        public boolean possible(byte[] data, ByteIndex index) {
            if (shape != null && !shape.somewhere(data, begin, end, index)) {
                return false;
            }
            if ((shape == null || !shape.complete())
                    && !(regex != null ? regex.matches(data, index.chars()) : exact.matches(data))) {
                return false;
            }
            if (children.length == 0) {
                return true;
            }
            for (Clause c : children) {
                if (c.possible(data, index)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int unkeyed() {
            return shape == null ? 1 : 0;
        }

        @Override
        public void compareRegexes(byte[] data, ByteIndex index, int[] counts) {
            if (regex != null) {
                boolean tikas = exact.matches(data);
                counts[1]++;
                counts[2] += tikas ? 1 : 0;
                if (regex.matches(data, index.chars()) != tikas) {
                    counts[0]++;
                }
            }
            for (Clause c : children) {
                c.compareRegexes(data, index, counts);
            }
        }
    }

    /**
     * A regex pattern checked as Tika's {@link MagicDetector} checks it, over one Latin-1 view of the header shared by
     * all regexes instead of a fresh {@code CharBuffer} decoded for each (the bulk of a plain-text save's detection
     * time). The pattern is compiled from the same bytes, UTF-8, no flags, as Tika compiles it. Tika's rule,
     * reproduced here: the window starts at the range's begin and spans
     * {@code min(header - begin, length + (lastStart - begin))} characters, {@code lastStart = min(end, header - 1)};
     * for each start {@code i} in {@code [0, lastStart - begin]} the pattern is tried with {@code lookingAt} on the
     * region {@code [i, min(length + i, window))}. Regions have opaque, anchoring bounds (the {@code Matcher}
     * defaults), so matching the whole header's view within the same absolute region gives the same answers as
     * matching the window. {@code regexDisagreements} compares this with Tika's detector.
     */
    private record RegexCheck(java.util.regex.Pattern pattern, int length, int begin, int end) {
        /** Tika's window for a regex (its detector's {@code length} field, fixed at 8 KiB for regexes). */
        private static final int TIKA_REGEX_LENGTH = 8192;

        static RegexCheck of(String regex, int begin, int end) {
            try {
                return new RegexCheck(java.util.regex.Pattern.compile(regex), TIKA_REGEX_LENGTH, begin, end);
            } catch (RuntimeException e) {
                return null; // Tika compiled it its own way: let its detector answer
            }
        }

        boolean matches(byte[] data, CharSequence chars) {
            if (data.length <= begin) {
                return false;
            }
            int lastStart = Math.min(end, data.length - 1);
            int window = Math.min(data.length - begin, length + (lastStart - begin));
            if (window <= 0) {
                return false;
            }
            java.util.regex.Matcher m = pattern.matcher(chars);
            for (int i = 0; i <= lastStart - begin; i++) {
                int stop = Math.min(length + i, window);
                if (i < stop) {
                    m.region(begin + i, begin + stop);
                    if (m.lookingAt()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * What a match needs from its start on, byte by byte: {@code sets[j]} holds the values allowed at start + j.
     * For a byte pattern the sets are every value Tika's detector accepts at each position (all 256 asked),
     * which is the whole of its test ({@code complete}); for a regex, the leading characters it must begin with.
     *
     * @param tail how many bytes a match needs from its start for Tika to try it there
     * @param key the position whose set is tried first (the rarest in ordinary headers)
     */
    private record Shape(boolean[][] sets, int tail, int key, int[] keyValues, long[] keyMask, boolean complete) {
        static Shape of(List<boolean[]> sets, int tail, boolean complete) {
            if (sets.isEmpty()) {
                return null;
            }
            boolean[][] all = sets.toArray(boolean[][]::new);
            int rarest = 0;
            int best = Integer.MAX_VALUE;
            for (int j = 0; j < all.length; j++) {
                int cost = 0;
                for (int v = 0; v < 256; v++) {
                    cost += all[j][v] ? commonness(v) : 0;
                }
                if (cost < best) {
                    best = cost;
                    rarest = j;
                }
            }
            int key = rarest;
            int[] values = java.util.stream.IntStream.range(0, 256).filter(v -> all[key][v]).toArray();
            long[] mask = new long[4];
            for (int v : values) {
                mask[v >>> 6] |= 1L << v;
            }
            return values.length == 256 ? null : new Shape(all, tail, key, values, mask, complete);
        }

        /**
         * The sets Tika's byte comparison ({@code (b & mask[j])}, lower-cased for {@code stringignorecase},
         * equal to {@code pattern[j]}) accepts, checked against Tika's detector: a header holding the pattern
         * must match, and at the key position every one of the 256 values must get Tika's own answer.
         */
        static Shape bytePattern(MagicDetector exact, int begin, byte[][] patternAndMask, boolean ignoreCase) {
            int length = exact.getLength();
            if (patternAndMask == null || length <= 0 || patternAndMask[0].length != length
                    || patternAndMask[1].length != length) {
                return null;
            }
            byte[] pattern = patternAndMask[0];
            byte[] mask = patternAndMask[1];
            List<boolean[]> sets = new ArrayList<>(length);
            for (int j = 0; j < length; j++) {
                boolean[] accepted = new boolean[256];
                for (int v = 0; v < 256; v++) {
                    int c = ((byte) v) & mask[j];
                    if (ignoreCase) {
                        c = Character.toLowerCase(c);
                    }
                    accepted[v] = c == pattern[j];
                }
                sets.add(accepted);
            }
            Shape shape = of(sets, length, true);
            if (shape == null) {
                return null;
            }
            byte[] probe = new byte[begin + length]; // too short for any start but begin
            System.arraycopy(pattern, 0, probe, begin, length);
            if (!exact.matches(probe)) {
                return null; // not understood: Tika's detector checks it every time
            }
            for (int v = 0; v < 256; v++) {
                probe[begin + shape.key] = (byte) v;
                if (exact.matches(probe) != shape.sets[shape.key][v]) {
                    return null;
                }
            }
            return shape;
        }

        /** How often a byte value is expected in ordinary headers: keys on rare bytes reject more. */
        private static int commonness(int v) {
            if (v == ' ' || v == '\n' || v == '\r' || v == '\t' || (v >= 'a' && v <= 'z') || v == 0) {
                return 20;
            }
            return v >= 0x20 && v < 0x7f ? 5 : 1;
        }

        /** Whether the sets hold at some start in [begin, end] (Tika's starts: those with {@code tail} bytes left). */
        boolean somewhere(byte[] data, int begin, int end, ByteIndex index) {
            int lastStart = Math.min(end, data.length - tail);
            if (lastStart < begin) {
                return false; // too short for the pattern: Tika's detector refuses it too
            }
            if (!index.anyPresent(keyMask)) {
                return false; // the key's byte occurs nowhere in the header
            }
            if (lastStart - begin < NARROW_RANGE) {
                // most patterns sit at one offset: trying each start directly beats any look-up
                for (int start = begin; start <= lastStart; start++) {
                    if (holdsAt(data, start)) {
                        return true;
                    }
                }
                return false;
            }
            for (int v : keyValues) {
                if (index.absent(v)) {
                    continue;
                }
                for (int i = index.first(v, begin + key); i < index.end(v); i++) {
                    int start = index.position(i) - key;
                    if (start > lastStart) {
                        break;
                    }
                    if (holdsAt(data, start)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean holdsAt(byte[] data, int start) {
            if (start + key >= data.length || !sets[key][data[start + key] & 0xff]) {
                return false;
            }
            for (int j = 0; j < sets.length; j++) {
                if (start + j >= data.length || !sets[j][data[start + j] & 0xff]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Which byte values occur in a header, and where: positions grouped by value, ascending within a group. The
     * values present are counted at the first question (one pass); the positions are sorted out only when a
     * wide-range pattern needs them, so most text headers are decided without.
     */
    private static final class ByteIndex {
        private final int[] counts = new int[256];
        private final int[] start = new int[257];
        private final long[] present = new long[4];
        private final byte[] data;
        private final boolean[] sorted;
        private boolean counted;
        private int[] positions;
        private Latin1 chars;

        ByteIndex(byte[] data, boolean[] sorted) {
            this.data = data;
            this.sorted = sorted;
        }

        /** The header as ISO-8859-1 characters (each byte one char, as Tika decodes it), without a copy. */
        CharSequence chars() {
            if (chars == null) {
                chars = new Latin1(data, 0, data.length);
            }
            return chars;
        }

        private void count() {
            // four tallies, so that runs of one value (spaces, zeros) do not wait on one counter
            int[] t0 = new int[256];
            int[] t1 = new int[256];
            int[] t2 = new int[256];
            int[] t3 = new int[256];
            int i = 0;
            for (int n = data.length & ~3; i < n; i += 4) {
                t0[data[i] & 0xff]++;
                t1[data[i + 1] & 0xff]++;
                t2[data[i + 2] & 0xff]++;
                t3[data[i + 3] & 0xff]++;
            }
            for (; i < data.length; i++) {
                t0[data[i] & 0xff]++;
            }
            for (int v = 0; v < 256; v++) {
                int c = t0[v] + t1[v] + t2[v] + t3[v];
                counts[v] = c;
                if (c > 0) {
                    present[v >>> 6] |= 1L << v;
                }
            }
            counted = true;
        }

        /** Sorts out the positions of the values wide-range patterns look up (text's common letters are not). */
        private void sort() {
            if (!counted) {
                count();
            }
            for (int v = 0; v < 256; v++) {
                start[v + 1] = start[v] + (sorted[v] ? counts[v] : 0);
            }
            positions = new int[start[256]];
            int[] next = Arrays.copyOf(start, 256);
            for (int i = 0; i < data.length; i++) {
                int v = data[i] & 0xff;
                if (sorted[v]) {
                    positions[next[v]++] = i;
                }
            }
        }

        /** @return whether any value of the set ({@code mask}: bit v of word v / 64) occurs in the header */
        boolean anyPresent(long[] mask) {
            if (!counted) {
                count();
            }
            return (present[0] & mask[0]) != 0 || (present[1] & mask[1]) != 0 || (present[2] & mask[2]) != 0
                    || (present[3] & mask[3]) != 0;
        }

        /** @return the index (into {@link #position}) of value {@code v}'s first occurrence at or after {@code from} */
        int first(int v, int from) {
            if (positions == null) {
                sort();
            }
            int i = Arrays.binarySearch(positions, start[v], start[v + 1], from);
            return i < 0 ? -i - 1 : i;
        }

        /** @return whether value {@code v} does not occur at all */
        boolean absent(int v) {
            if (!counted) {
                count();
            }
            return counts[v] == 0;
        }

        /** @return the index after value {@code v}'s last occurrence (a value wide-range patterns look up) */
        int end(int v) {
            return start[v + 1];
        }

        int position(int i) {
            return positions[i];
        }
    }

    /** Bytes seen as ISO-8859-1 characters. */
    private record Latin1(byte[] data, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int i) {
            return (char) (data[from + i] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(data, from + start, from + end);
        }

        @Override
        public String toString() {
            return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
