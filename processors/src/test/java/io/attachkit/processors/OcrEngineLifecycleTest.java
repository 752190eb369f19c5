package io.attachkit.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attachkit.ProcessingException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing the OCR engine frees its native instances, but never one that a call is still using. */
class OcrEngineLifecycleTest {

    @Test
    void close_whileOcrIsRunning_letsTheCallFinish_andRefusesLaterCalls() throws Exception {
        OcrEngine engine = OcrEngine.builder().maxInstances(1).build();
        assumeTrue(engine.isInstalled(), "Tesseract is not installed");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("Line " + i + " of a long page that keeps the engine busy for a while");
        }
        BufferedImage page = Fixtures.textImage(lines, 2480, 3508, 40f, BufferedImage.TYPE_BYTE_GRAY);
        engine.recognize(Fixtures.textImage(List.of("warm up"), 400, 100, 40f, BufferedImage.TYPE_BYTE_GRAY), 300);

        CompletableFuture<OcrResult> running = CompletableFuture.supplyAsync(() -> engine.recognize(page, 300));
        Thread.sleep(150); // the call is now inside native Tesseract
        engine.close();

        OcrResult result = running.get(120, TimeUnit.SECONDS); // the JVM is still here, the call completed
        assertThat(result.text()).contains("Line 1 of a long page");
        assertThatThrownBy(() -> engine.recognize(page, 300)).isInstanceOf(ProcessingException.class).hasMessageContaining("closed");
    }
}
