package io.attachkit.benchmarks.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Repeated timings of one operation; reports their median. Not thread-safe. */
final class Samples {
    private final String label;
    private final List<Long> nanos = new ArrayList<>();

    Samples(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    boolean isEmpty() {
        return nanos.isEmpty();
    }

    /** @return the median in seconds (the lower middle one for an even count) */
    double medianSeconds() {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2) / 1e9;
    }

    /** @return every run in seconds, for the detail line */
    String all() {
        StringBuilder sb = new StringBuilder();
        for (long n : nanos) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%.3f", n / 1e9));
        }
        return sb.toString();
    }
}
