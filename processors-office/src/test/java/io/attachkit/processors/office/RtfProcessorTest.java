package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link RtfProcessor} on RTF written by hand (RTF is plain text), and on hostile nesting. */
class RtfProcessorTest {
    private final RtfProcessor processor = new RtfProcessor();

    private ProcessedContent process(String rtf, ProcessingLimits limits) {
        return processor.process(OfficeFixtures.input("memo.rtf", "application/rtf", rtf.getBytes(StandardCharsets.ISO_8859_1)), limits);
    }

    @Test
    void paragraphs_andEscapedCharacters_areRead() {
        ProcessedContent c = process("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\f0\\fs24 Quarterly {\\b memo}\\par "
                + "Caf\\'e9 cr\\'e8me \\u8364? prices\\par}", ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("document");
        assertThat(c.text()).isEqualTo("Quarterly memo\nCafé crème € prices");
        assertThat(c.get("words")).isEqualTo(6L);
    }

    @Test
    void text_isCutAtMaxOutputChars() {
        ProcessedContent c = process("{\\rtf1\\ansi " + "lorem ipsum dolor\\par ".repeat(1_000) + "}",
                ProcessingLimits.builder().maxOutputChars(500).build());
        assertThat(c.text()).hasSize(500);
        assertThat(c.get("truncated")).isEqualTo(true);
    }

    @Test
    void deepGroupNesting_endsWithTextOrATypedError() {
        String deep = "{\\rtf1\\ansi " + "{".repeat(100_000) + "deep" + "}".repeat(100_000) + "}";
        try {
            assertThat(process(deep, ProcessingLimits.defaults()).text()).contains("deep");
        } catch (ProcessingException refused) {
            assertThat(refused.getMessage()).contains("cannot be read");
        }
    }

    @Test
    void notRtf_isRefused() {
        assertThatThrownBy(() -> process("hello", ProcessingLimits.defaults()))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("not an RTF document");
    }
}
