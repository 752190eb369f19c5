package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Extracts the readable text of HTML pages with jsoup, without fetching anything.
 *
 * <p>Result keys: {@code type} = {@code document}; {@code title}; {@code text} in reading order without
 * script, style, template, noscript and hidden elements (one line per block, list items as {@code - item},
 * table cells separated by {@code " | "}); {@code section_spans}, for every heading {@code h1}-{@code h6},
 * {@code {heading, level, start, end}}; {@code links} (up to {@value HtmlText#MAX_LINKS}, each
 * {@code {href, text}}, as written: relative links stay relative) with {@code link_count}; {@code description}
 * (the meta description); {@code charset} (from the BOM, else a meta tag, else UTF-8); {@code lang};
 * {@code words}; {@code truncated}; {@code overview}.
 *
 * <p>Bounded: at most {@value #MAX_BYTES} bytes are parsed (more is reported as truncated), elements nested
 * deeper than {@value HtmlText#MAX_DEPTH} are flattened by the parser, and the text stops at
 * {@code maxOutputChars}. Thread-safe.
 */
public final class HtmlProcessor extends OfficeProcessor {
    /** The most bytes of one page that are parsed: its DOM takes several times that in memory. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** Creates the processor. */
    public HtmlProcessor() {
        super("html", "text/html", "application/xhtml+xml");
    }

    /** @return 10: above the plain-text processor, which reads every {@code text/*} type (HTML as source code) */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (InputStream in = BoundedInputStream.builder().setInputStream(input.open()).setMaxCount(MAX_BYTES).get()) {
            HtmlText html = HtmlText.read(in, null, limits.maxOutputChars());
            Texts.checkInterrupted(name);
            boolean cut = input.size() > MAX_BYTES;
            return ProcessedContent.of(result(html, cut));
        } catch (InterruptedIOException e) {
            throw new ProcessingException("Processing '" + name + "' was interrupted (timeout or shutdown)", e);
        } catch (IOException e) {
            throw new ProcessingException("Reading the HTML page '" + name + "' failed: " + e.getMessage(), e);
        } catch (ProcessingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProcessingException("'" + name + "' is not a readable HTML page: " + e, e);
        }
    }

    /** The result keys of a parsed page (also used for the HTML body of an email). */
    static Map<String, Object> result(HtmlText html, boolean cut) {
        String text = html.text.toString();
        long words = Texts.countWords(text);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "document");
        String title = html.title();
        if (!title.isEmpty()) {
            out.put("title", title);
        }
        out.put("text", text);
        out.put("overview", overview(title, html, words, cut || html.text.truncated()));
        out.put("section_spans", html.sections);
        out.put("links", html.links);
        out.put("link_count", html.linkCount);
        String description = html.description();
        if (!description.isEmpty()) {
            out.put("description", description);
        }
        out.put("charset", html.doc.charset().name());
        String lang = html.doc.selectFirst("html") == null ? "" : html.doc.selectFirst("html").attr("lang").strip();
        if (!lang.isEmpty()) {
            out.put("lang", lang);
        }
        out.put("words", words);
        out.put("truncated", cut || html.text.truncated());
        if (cut) {
            out.put("warnings", List.of("only the first " + Texts.bytes(MAX_BYTES) + " of the page were read"));
        }
        return out;
    }

    private static String overview(String title, HtmlText html, long words, boolean truncated) {
        StringBuilder s = new StringBuilder("HTML page");
        if (!title.isEmpty()) {
            s.append(" \"").append(title).append('"');
        }
        s.append(", ").append(Texts.plural(words, "word")).append(", ").append(Texts.plural(html.linkCount, "link"));
        if (!html.sections.isEmpty()) {
            List<String> headings = new ArrayList<>();
            for (Map<String, Object> section : html.sections.subList(0, Math.min(10, html.sections.size()))) {
                headings.add((String) section.get("heading"));
            }
            s.append("; headings: ").append(String.join("; ", headings)).append(html.sections.size() > 10 ? "; ..." : "");
        }
        String description = html.description();
        if (!description.isEmpty()) {
            s.append("; description: ").append(description.length() > 200 ? description.substring(0, 200) + "..." : description);
        }
        if (truncated) {
            s.append(" (truncated)");
        }
        return s.append('.').toString();
    }
}
