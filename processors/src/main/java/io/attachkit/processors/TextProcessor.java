package io.attachkit.processors;

import io.attachkit.processors.internal.Texts;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.io.IOException;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads plain text, Markdown and source code.
 *
 * <p>Result keys: {@code type} = {@code text}; {@code text}; {@code format} ({@code plain},
 * {@code markdown} or {@code code}); {@code charset} (detected: a BOM, UTF-16 without a BOM, strict UTF-8,
 * else Windows-1252); {@code chars}, {@code lines}, {@code words} (of the text kept); {@code truncated}
 * (true when the text was cut at {@link ProcessingLimits#maxOutputChars()}); {@code overview}.
 * Reads at most the character limit, never the whole file. Thread-safe.
 */
public final class TextProcessor implements ContentProcessor {
    private static final Set<String> TABLES = Set.of("text/csv", "text/tab-separated-values");
    private static final Set<String> CODE = Set.of("application/javascript", "application/x-sh", "application/x-python",
            "application/xml", "application/x-yaml", "application/yaml", "application/toml", "application/sql");

    /** Creates the processor. */
    public TextProcessor() {
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public boolean supports(String mimeType) {
        return mimeType != null && (mimeType.startsWith("text/") && !TABLES.contains(mimeType) || CODE.contains(mimeType));
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        int max = limits.maxOutputChars();
        try {
            CharsetSniffer.Detected charset = CharsetSniffer.detect(input::open, max);
            StringBuilder text = new StringBuilder();
            boolean truncated = readCapped(input, charset, max, text);
            String format = format(input.mimeType());
            long lines = Texts.countLines(text);
            long words = Texts.countWords(text);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "text");
            out.put("text", text.toString());
            out.put("format", format);
            out.put("charset", charset.charset().name());
            out.put("chars", text.length());
            out.put("lines", lines);
            out.put("words", words);
            out.put("truncated", truncated);
            out.put("overview", (format.equals("plain") ? "Plain text" : format.equals("markdown") ? "Markdown text" : "Source code")
                    + " (" + charset.charset().name() + "), " + Texts.plural(lines, "line") + ", " + Texts.plural(words, "word")
                    + (truncated ? "; truncated to the first " + Texts.number(text.length()) + " characters" : "") + ".");
            return ProcessedContent.of(out);
        } catch (IOException e) {
            throw new ProcessingException("Reading the text of '" + input.filename() + "' failed: " + e.getMessage(), e);
        }
    }

    /** Reads up to {@code max} characters; returns whether there was more. */
    static boolean readCapped(ProcessingInput input, CharsetSniffer.Detected charset, int max, StringBuilder into) throws IOException {
        char[] buf = new char[8192];
        try (Reader r = CharsetSniffer.reader(input::open, charset)) {
            int n;
            while ((n = r.read(buf, 0, (int) Math.min(buf.length, max + 1L - into.length()))) > 0) {
                into.append(buf, 0, n);
                if (into.length() > max) {
                    into.setLength(max);
                    return true;
                }
                Texts.checkInterrupted(input.filename());
            }
        }
        return false;
    }

    private static String format(String mime) {
        if ("text/markdown".equals(mime) || "text/x-markdown".equals(mime)) {
            return "markdown";
        }
        if ("text/plain".equals(mime) || mime == null) {
            return "plain";
        }
        return "code";
    }
}
