package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingLimits;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link HtmlProcessor}: readable text, headings, links, charset; nothing fetched; hostile nesting bounded. */
class HtmlProcessorTest {
    private final HtmlProcessor processor = new HtmlProcessor();

    private ProcessedContent process(byte[] html, ProcessingLimits limits) {
        return processor.process(OfficeFixtures.input("page.html", "text/html", html), limits);
    }

    private static final String PAGE = """
            <!DOCTYPE html><html lang="en"><head><title>Release notes</title>
            <meta name="description" content="What changed in 2.0">
            <style>body { color: red }</style><script>var secret = "do not show";</script></head>
            <body>
            <h1>Version 2.0</h1>
            <p>Faster  and
               <b>smaller</b>.</p>
            <template><p>template text</p></template>
            <div hidden>hidden div</div><span style="display: none">invisible span</span>
            <noscript>enable js</noscript>
            <h2>Changes</h2>
            <ul><li>New parser</li><li>See <a href="/docs/parser">the docs</a></li></ul>
            <table><tr><th>Module</th><th>Size</th></tr><tr><td>core</td><td>1 MB</td></tr></table>
            <a href="javascript:alert(1)">click</a>
            <img src="http://127.0.0.1:%d/pixel.png"><link rel="stylesheet" href="http://127.0.0.1:%d/x.css">
            </body></html>""";

    @Test
    void page_textInReadingOrder_withoutScriptStyleTemplateOrHiddenElements_andNothingFetched() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(200);
            int port = listener.getLocalPort();
            ProcessedContent c = process(PAGE.formatted(port, port).getBytes(StandardCharsets.UTF_8), ProcessingLimits.defaults());
            assertThat(c.type()).isEqualTo("document");
            assertThat(c.get("title")).isEqualTo("Release notes");
            assertThat(c.text()).isEqualTo("""
                    Version 2.0
                    Faster and smaller.
                    Changes
                    - New parser
                    - See the docs
                    Module | Size
                    core | 1 MB
                    click""");
            assertThat(c.get("description")).isEqualTo("What changed in 2.0");
            assertThat(c.get("lang")).isEqualTo("en");
            assertThat(c.get("links")).isEqualTo(List.of(Map.of("href", "/docs/parser", "text", "the docs")));
            assertThat(c.get("link_count")).isEqualTo(2);
            assertThatNoConnection(listener);
        }
    }

    @Test
    void headings_giveSectionSpans() {
        ProcessedContent c = process(PAGE.formatted(1, 1).getBytes(StandardCharsets.UTF_8), ProcessingLimits.defaults());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("section_spans");
        assertThat(spans).extracting(s -> s.get("heading")).containsExactly("Version 2.0", "Changes");
        assertThat(spans).extracting(s -> s.get("level")).containsExactly(1, 2);
        String first = c.text().substring((Integer) spans.get(0).get("start"), (Integer) spans.get(0).get("end"));
        assertThat(first).isEqualTo("Version 2.0\nFaster and smaller.\n");
        assertThat(c.overview()).contains("\"Release notes\"").contains("headings: Version 2.0; Changes")
                .contains("description: What changed in 2.0");
    }

    @Test
    void charset_comesFromTheMetaTag_orTheBom() {
        byte[] latin1 = "<html><head><meta charset=\"ISO-8859-1\"></head><body><p>caf\u00e9 cr\u00e8me</p></body></html>"
                .getBytes(StandardCharsets.ISO_8859_1);
        ProcessedContent c = process(latin1, ProcessingLimits.defaults());
        assertThat(c.text()).isEqualTo("caf\u00e9 cr\u00e8me");
        assertThat(c.get("charset")).isEqualTo("ISO-8859-1");

        byte[] utf16 = "\uFEFF<html><body><p>\u65e5\u672c\u8a9e</p></body></html>".getBytes(Charset.forName("UTF-16BE"));
        ProcessedContent bom = process(utf16, ProcessingLimits.defaults());
        assertThat(bom.text()).isEqualTo("\u65e5\u672c\u8a9e");
        assertThat((String) bom.get("charset")).startsWith("UTF-16");
    }

    @Test
    void nested100000Deep_isParsedWithinBounds() {
        String deep = "<html><body>" + "<div>".repeat(100_000) + "deep text" + "</div>".repeat(100_000) + "</body></html>";
        ProcessedContent c = process(deep.getBytes(StandardCharsets.UTF_8), ProcessingLimits.defaults());
        assertThat(c.text()).isEqualTo("deep text");
    }

    @Test
    void text_isCutAtMaxOutputChars() {
        String big = "<html><body>" + "<p>lorem ipsum dolor sit amet</p>".repeat(10_000) + "</body></html>";
        ProcessedContent c = process(big.getBytes(StandardCharsets.UTF_8), ProcessingLimits.builder().maxOutputChars(1_000).build());
        assertThat(c.text()).hasSizeLessThanOrEqualTo(1_000);
        assertThat(c.get("truncated")).isEqualTo(true);
    }

    static void assertThatNoConnection(ServerSocket listener) {
        try {
            listener.accept().close();
            throw new AssertionError("something connected to " + listener.getLocalPort());
        } catch (SocketTimeoutException expected) {
            // nothing connected
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
