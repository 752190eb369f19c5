package io.attachkit.processors.internal;

import io.attachkit.ProcessingException;
import java.text.NumberFormat;
import java.util.Locale;

/** Small text helpers shared by the processors (of this module and attachkit-processors-office). */
public final class Texts {
    private Texts() {
    }

    /**
     * @param s text
     * @return the number of whitespace-separated words
     */
    public static long countWords(CharSequence s) {
        long words = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            boolean ws = Character.isWhitespace(s.charAt(i));
            if (!ws && !inWord) {
                words++;
            }
            inWord = !ws;
        }
        return words;
    }

    /**
     * @param s text
     * @return the number of lines (a final line without a newline counts)
     */
    public static long countLines(CharSequence s) {
        if (s.length() == 0) {
            return 0;
        }
        long lines = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                lines++;
            }
        }
        return s.charAt(s.length() - 1) == '\n' ? lines : lines + 1;
    }

    /**
     * @param n a number
     * @return the number formatted with thousands separators
     */
    public static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
    }

    /**
     * @param n a count
     * @param noun the singular noun
     * @return "1 page" / "2 pages"
     */
    public static String plural(long n, String noun) {
        return number(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * @param n a size in bytes
     * @return a human size such as {@code 1.2 MB}
     */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * Throws if the worker was interrupted (the per-attachment timeout cancels it).
     *
     * @param filename the file being processed, for the message
     * @throws ProcessingException if the current thread was interrupted
     */
    public static void checkInterrupted(String filename) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ProcessingException("Processing '" + filename + "' was interrupted (timeout or shutdown)");
        }
    }
}
