package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import io.attachkit.storage.local.LocalFileStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DocProcessor} on {@code report.doc}: {@code report.fodt} (next to it, a flat OpenDocument text written by
 * hand: heading styles, a header and footer, a footnote, a comment and a table) converted once by LibreOffice
 * ({@code soffice --headless --convert-to "doc:MS Word 97" report.fodt}) and committed (12 KB), as nothing in Java
 * writes Word 97 files.
 */
class DocProcessorTest {
    private final DocProcessor processor = new DocProcessor();

    @TempDir
    Path root;

    static byte[] reportDoc() {
        try (InputStream in = DocProcessorTest.class.getResourceAsStream("report.doc")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProcessedContent process(byte[] doc) {
        return processor.process(OfficeFixtures.input("report.doc", DocProcessor.MIME, doc), ProcessingLimits.defaults());
    }

    @Test
    void report_textInReadingOrder_withTheTableRowByRow_headerFooterAndNotesMarked() {
        ProcessedContent c = process(reportDoc());
        assertThat(c.type()).isEqualTo("document");
        assertThat(c.text()).startsWith("[Header] ACME Confidential\n\nIntroduction\n\nSales grew in every region.")
                .contains("The outlook is bright.")
                .contains("Figures\n\nRegion | Sales\nNorth | 120\nSouth | 80\n\nEnd of figures.")
                .contains("[Footnote 1] Unaudited figures.")
                .contains("[Comment] Check the South number.")
                .endsWith("[Footer] Page footer");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> spans = (List<Map<String, Object>>) c.get("section_spans");
        assertThat(spans).extracting(s -> s.get("heading")).containsExactly("Introduction", "Figures");
        Map<String, Object> figures = spans.get(1);
        assertThat(c.text().substring((Integer) figures.get("start"), (Integer) figures.get("end"))).startsWith("Figures\n\nRegion | Sales");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) c.get("info");
        assertThat(info).containsEntry("title", "Quarterly Report").containsEntry("author", "Ada Lovelace");
        // the fixture's unset save time is FILETIME zero: reported as absent, not as 1601
        assertThat(info.values()).noneMatch(v -> String.valueOf(v).startsWith("1601"));
        assertThat(c.get("tables")).isEqualTo(1);
    }

    @Test
    void truncatedDoc_isAClearError() {
        byte[] doc = reportDoc();
        assertThatThrownBy(() -> process(Arrays.copyOf(doc, doc.length / 3)))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("Word 97-2003 document");
    }

    @Test
    void throughAttachments_withoutAName_isDetectedByItsBytes() {
        try (LocalFileStore store = LocalFileStore.builder().root(root).build();
             Attachments attachments = Attachments.builder().store(store).workers(1).build()) {
            Attachment a = attachments.storeAndProcess(Attachment.fromBytes("upload", reportDoc(), null));
            assertThat(a.mimeType()).isEqualTo(DocProcessor.MIME);
            assertThat(a.processedContent().text()).contains("North | 120");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
