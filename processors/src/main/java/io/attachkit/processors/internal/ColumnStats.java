package io.attachkit.processors.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running statistics of one table column (CSV, spreadsheet), in constant memory; exact sums with BigDecimal.
 * Not thread-safe: one instance per column per file.
 */
public final class ColumnStats {
    private static final int MAX_NUMBER_LENGTH = 100;
    private long numeric;
    private long nonNumeric;
    private long empty;
    private BigDecimal sum = BigDecimal.ZERO;
    private BigDecimal min;
    private BigDecimal max;

    /** Creates empty statistics. */
    public ColumnStats() {
    }

    /**
     * Counts one cell: empty, a number, or something else.
     *
     * @param raw the cell's text, or {@code null} for an empty cell
     */
    public void add(String raw) {
        String v = raw == null ? "" : raw.strip();
        if (v.isEmpty()) {
            empty++;
            return;
        }
        BigDecimal d = parse(v);
        if (d == null) {
            nonNumeric++;
            return;
        }
        numeric++;
        sum = sum.add(d);
        min = min == null || d.compareTo(min) < 0 ? d : min;
        max = max == null || d.compareTo(max) > 0 ? d : max;
    }

    /** @return whether every non-empty value was a number (and there was at least one) */
    public boolean isNumeric() {
        return numeric > 0 && nonNumeric == 0;
    }

    /** @return {@code count, sum, min, max, mean} (and {@code empty} when some cells were), for a numeric column */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", numeric);
        m.put("sum", json(sum));
        m.put("min", json(min));
        m.put("max", json(max));
        m.put("mean", sum.divide(BigDecimal.valueOf(numeric), MathContext.DECIMAL128).doubleValue());
        if (empty > 0) {
            m.put("empty", empty);
        }
        return m;
    }

    /** @return a short human summary ("sum 6, min 1, max 3, mean 2"), for a numeric column */
    public String brief() {
        return "sum " + plain(sum) + ", min " + plain(min) + ", max " + plain(max) + ", mean "
                + plain(sum.divide(BigDecimal.valueOf(numeric), MathContext.DECIMAL128).stripTrailingZeros());
    }

    /**
     * @param v a stripped, non-empty cell text
     * @return its exact value, or {@code null} when it is not a plain number of reasonable size
     */
    public static BigDecimal parse(String v) {
        if (v.length() > MAX_NUMBER_LENGTH) {
            return null;
        }
        char c = v.charAt(0);
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(v);
            // refuse absurd exponents (1e999999999) that would make arithmetic slow, and values beyond a double's
            // range (1e999): min, max and mean are written as JSON numbers, where Infinity does not exist
            return Math.abs((long) d.scale()) > 1000 || Double.isInfinite(d.doubleValue()) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object json(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() <= 0 && s.precision() - s.scale() <= 18) {
            return s.longValueExact();
        }
        double v = d.doubleValue();
        return Double.isInfinite(v) ? s : v; // a sum beyond a double's range stays an exact (valid JSON) number
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
