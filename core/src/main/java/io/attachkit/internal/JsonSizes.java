package io.attachkit.internal;

import java.util.Collection;
import java.util.Map;

/**
 * A rough, fast estimate of the heap a JSON-shaped value holds (strings, numbers, booleans, maps and lists of
 * them), for weighing cache entries by what they keep alive rather than by count.
 */
public final class JsonSizes {
    private static final int OBJECT = 16;
    private static final int MAX_DEPTH = 64;

    private JsonSizes() {
    }

    /**
     * @param value a JSON-shaped value, or {@code null}
     * @return about how many bytes of heap it holds (a string counts two bytes per char, the worst case)
     */
    public static long estimateBytes(Object value) {
        return estimate(value, 0);
    }

    private static long estimate(Object value, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return 0;
        }
        if (value instanceof CharSequence s) {
            return 40 + 2L * s.length();
        }
        if (value instanceof Map<?, ?> m) {
            long total = 48;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                total += 32 + estimate(e.getKey(), depth + 1) + estimate(e.getValue(), depth + 1);
            }
            return total;
        }
        if (value instanceof Collection<?> c) {
            long total = 40;
            for (Object o : c) {
                total += 8 + estimate(o, depth + 1);
            }
            return total;
        }
        if (value instanceof byte[] b) {
            return OBJECT + b.length;
        }
        return OBJECT;
    }
}
