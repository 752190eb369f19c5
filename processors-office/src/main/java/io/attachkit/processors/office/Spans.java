package io.attachkit.processors.office;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the span maps ({@code start}, {@code end} and what the span is) that let an agent cite a passage. */
final class Spans {
    private Spans() {
    }

    /** @return a span map with the given leading keys (name, value pairs), then {@code start} and {@code end} */
    static Map<String, Object> span(int start, int end, Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        m.put("start", start);
        m.put("end", end);
        return m;
    }
}
