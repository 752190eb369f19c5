package io.attachkit.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.FileStore;
import io.attachkit.ForwardingFileStore;
import io.attachkit.ProcessingException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rendering real stored, processed files for models with different capabilities and budgets. */
class AttachmentRendererTest {
    @RegisterExtension
    final ProcessedStore env = new ProcessedStore();

    private AttachmentRenderer renderer(ModelCapabilities caps, int budget) {
        return AttachmentRenderer.builder().store(env.store()).capabilities(caps).tokenBudget(budget).build();
    }

    @Test
    void png_goesAsANativeImage_toAVisionModel() {
        byte[] png = AiFixtures.png("TOTAL 42 EUR");
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", png, null));

        RenderedContent out = renderer(ModelCapabilities.openAi(), 8_000).render(List.of(a));

        assertThat(out.notes()).isEmpty();
        assertThat(out.parts()).hasSize(2);
        assertThat(out.parts().get(0)).isEqualTo(new ContentPart.Text("[Attached image: invoice.png (image/png)]"));
        ContentPart.Image image = (ContentPart.Image) out.parts().get(1);
        assertThat(image.mimeType()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(image.base64())).isEqualTo(png);
        assertThat(out.tokens()).isGreaterThanOrEqualTo(ModelCapabilities.openAi().tokensPerImage());
        assertThat(image.toString()).startsWith("Image[image/png, invoice.png, ").hasSizeLessThan(100);
    }

    @Test
    void png_goesAsItsOcrText_toATextOnlyModel() {
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", AiFixtures.png("TOTAL 42 EUR"), null));

        RenderedContent out = renderer(ModelCapabilities.textOnly(), 8_000).render(List.of(a));

        assertThat(out.parts()).singleElement().isInstanceOfSatisfying(ContentPart.Text.class, t -> {
            assertThat(t.text()).startsWith("--- Attachment: invoice.png (image/png) ---\n");
            assertThat(t.text()).contains("TOTAL 42 EUR");
        });
        assertThat(out.notes()).isEmpty();
    }

    @Test
    void imageOverTheModelsLimit_goesAsText_withANote_andIsNotRead() {
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", AiFixtures.png("TOTAL 42 EUR"), null));
        ModelCapabilities tiny = ModelCapabilities.openAi().toBuilder().maxImageBytes(100).build();
        CountingStore counting = new CountingStore(env.store());

        RenderedContent out = AttachmentRenderer.builder().store(counting).capabilities(tiny).build().render(List.of(a));

        assertThat(out.parts().get(0)).isInstanceOf(ContentPart.Text.class);
        assertThat(((ContentPart.Text) out.parts().get(0)).text()).contains("TOTAL 42 EUR");
        assertThat(out.notes()).singleElement().asString()
                .contains("invoice.png").contains("Sent as text").contains("100-byte image limit of openai");
        assertThat(counting.bytesRead.get()).isZero();
    }

    @Test
    void imageOfUnknownSize_isReadOnlyUpToTheLimit() {
        Attachment stored = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", AiFixtures.png("TOTAL 42 EUR"), null));
        // as read back from a thread store that did not keep the size
        Attachment a = Attachment.builder().filename("invoice.png").mimeType("image/png").fileId(stored.fileId())
                .storagePath(stored.storagePath()).storageBackend(stored.storageBackend()).status(AttachmentStatus.STORED)
                .processedContent(stored.processedContent()).build();
        assertThat(a.size()).isEqualTo(-1);
        ModelCapabilities small = ModelCapabilities.openAi().toBuilder().maxImageBytes(1_000).build();
        CountingStore counting = new CountingStore(env.store());

        RenderedContent out = AttachmentRenderer.builder().store(counting).capabilities(small).build().render(List.of(a));

        assertThat(stored.size()).isGreaterThan(2_000);
        assertThat(counting.bytesRead.get()).isEqualTo(1_001);
        assertThat(out.parts()).hasSize(2).allMatch(p -> p instanceof ContentPart.Text);
        assertThat(out.notes()).singleElement().asString().contains("1000-byte image limit");
    }

    @Test
    void imageTypeTheModelRefuses_goesAsText_withANote() {
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("invoice.png", AiFixtures.png("TOTAL 42 EUR"), null));
        ModelCapabilities jpegOnly = ModelCapabilities.builder("jpeg-only").imageTypes("image/jpeg").build();

        RenderedContent out = renderer(jpegOnly, 8_000).render(List.of(a));

        assertThat(out.parts().get(0)).isInstanceOf(ContentPart.Text.class);
        assertThat(out.notes()).singleElement().asString().contains("jpeg-only takes images of type [image/jpeg] only");
    }

    @Test
    void pdf_goesNatively_toAModelThatReadsPdfs_andAsTextOtherwise() {
        byte[] bytes = AiFixtures.pdf(List.of("Revenue grew in March", "Costs fell in April", "Outlook for May and June"));
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf", bytes, null));

        RenderedContent claude = renderer(ModelCapabilities.anthropic(), 10_000).render(List.of(pdf));
        RenderedContent plain = renderer(ModelCapabilities.textOnly(), 10_000).render(List.of(pdf));

        assertThat(claude.parts()).hasSize(2);
        assertThat(claude.parts().get(0)).isEqualTo(new ContentPart.Text("[Attached PDF: report.pdf (3 pages)]"));
        assertThat(Base64.getDecoder().decode(((ContentPart.Pdf) claude.parts().get(1)).base64())).isEqualTo(bytes);
        assertThat(plain.parts()).singleElement().asString().contains("--- Attachment: report.pdf (application/pdf, 3 pages) ---")
                .contains("Costs fell in April");
    }

    @Test
    void pdfWithMorePagesThanTheModelTakes_goesAsText() {
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf",
                AiFixtures.pdf(List.of("Page one of the report", "Page two of the report", "Page three of the report")), null));
        ModelCapabilities twoPages = ModelCapabilities.anthropic().toBuilder().maxPdfPages(2).build();

        RenderedContent out = renderer(twoPages, 10_000).render(List.of(pdf));

        assertThat(out.parts().get(0)).isInstanceOf(ContentPart.Text.class);
        assertThat(out.notes()).singleElement().asString().contains("3 pages exceed the 2-page PDF limit of anthropic");
    }

    @Test
    void pdfTooCostlyForTheBudgetNatively_goesAsText() {
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("report.pdf",
                AiFixtures.pdf(List.of("Page one of the report", "Page two of the report", "Page three of the report")), null));

        RenderedContent out = renderer(ModelCapabilities.anthropic(), 1_000).render(List.of(pdf));

        assertThat(out.parts().get(0)).isInstanceOf(ContentPart.Text.class);
        assertThat(out.notes()).singleElement().asString().contains("would take about").contains("1000 were left");
    }

    @Test
    void textOverTheBudget_isCutAtAPageBoundaryReport_withANoteForTheModel() {
        String page = "word ".repeat(200).strip();   // ~1000 chars, ~250 tokens a page
        Attachment pdf = env.attachments().storeAndProcess(Attachment.fromBytes("long.pdf",
                AiFixtures.pdf(List.of(page, page, page)), null));

        RenderedContent out = renderer(ModelCapabilities.textOnly(), 600).render(List.of(pdf));

        assertThat(out.tokens()).isLessThanOrEqualTo(600);
        assertThat(out.notes()).singleElement().asString().contains("long.pdf: cut to the first")
                .contains("pages kept whole: 2 of 3").contains("token budget of 600");
        String text = ((ContentPart.Text) out.parts().get(0)).text();
        assertThat(text).contains("[... cut here: ");
        assertThat(TokenEstimator.defaultEstimator().estimate(text)).isLessThanOrEqualTo(600);
        ContentPart.Text note = (ContentPart.Text) out.parts().get(out.parts().size() - 1);
        assertThat(note.text()).startsWith("[Note from attachkit: long.pdf: cut to the first");
    }

    @Test
    void attachmentsBeyondTheBudget_areOmitted_withANote() {
        Attachment first = env.attachments().storeAndProcess(Attachment.fromBytes("a.txt",
                "alpha ".repeat(100).getBytes(StandardCharsets.UTF_8), null));
        Attachment second = env.attachments().storeAndProcess(Attachment.fromBytes("b.txt",
                "beta ".repeat(100).getBytes(StandardCharsets.UTF_8), null));

        RenderedContent out = renderer(ModelCapabilities.textOnly(), 170).render(List.of(first, second));

        assertThat(out.parts()).hasSize(2);
        assertThat(out.parts().get(0).toString()).contains("alpha");
        assertThat(out.notes()).singleElement().asString().startsWith("b.txt: omitted: the token budget of 170 was used up");
    }

    @Test
    void aCustomEstimator_decidesWhatFits() {
        Attachment a = env.attachments().storeAndProcess(Attachment.fromBytes("a.txt",
                "alpha beta gamma delta".getBytes(StandardCharsets.UTF_8), null));
        TokenEstimator words = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

        RenderedContent out = AttachmentRenderer.builder().store(env.store()).estimator(words).tokenBudget(100).build().render(List.of(a));

        assertThat(out.tokens()).isEqualTo(words.estimate("--- Attachment: a.txt (text/plain) ---\nalpha beta gamma delta"));
        assertThat(out.notes()).isEmpty();
    }

    @Test
    void unprocessedAttachmentForATextModel_isAProcessingException() {
        Attachment raw = Attachment.fromBytes("notes.txt", "hi".getBytes(StandardCharsets.UTF_8), null).ensureStored(env.store());

        assertThatThrownBy(() -> renderer(ModelCapabilities.textOnly(), 100).render(List.of(raw)))
                .isInstanceOf(ProcessingException.class).hasMessageContaining("notes.txt").hasMessageContaining("process it first");
    }

    @Test
    void builder_validatesEachSettingAtOnce() {
        assertThatThrownBy(() -> AttachmentRenderer.builder().tokenBudget(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tokenBudget must be positive, was 0");
        assertThatThrownBy(() -> AttachmentRenderer.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store is required");
        assertThatThrownBy(() -> TokenEstimator.charsPerToken(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Counts the bytes callers actually pull from the store's streams. */
    static final class CountingStore extends ForwardingFileStore {
        final AtomicLong bytesRead = new AtomicLong();

        CountingStore(FileStore delegate) {
            super(delegate);
        }

        @Override
        public InputStream open(String fileId, String storagePath) {
            return new FilterInputStream(super.open(fileId, storagePath)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytesRead.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        bytesRead.addAndGet(n);
                    }
                    return n;
                }
            };
        }
    }
}
