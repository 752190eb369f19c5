package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.ContentProcessor;
import io.attachkit.ContentProcessors;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.ProcessingStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances over one S3 bucket (S3Proxy): what one processed, the other reads from the derived record in the
 * bucket without a processor run; the record is hidden from listings and goes with its file.
 */
class S3SharedProcessingTest {
    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** A real processor for text that counts its runs. */
    private static ContentProcessor words(AtomicInteger runs) {
        return new ContentProcessor() {
            @Override
            public String name() {
                return "words";
            }

            @Override
            public boolean supports(String mimeType) {
                return mimeType.equals("text/plain");
            }

            @Override
            public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
                runs.incrementAndGet();
                try (InputStream in = input.open()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    return ProcessedContent.of(Map.of("type", "text", "text", text, "words", text.split("\\s+").length));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Test
    void whatOneInstanceProcessed_theOtherReadsFromTheBucket_withoutARun() throws Exception {
        String bucket = server.createBucket();
        AtomicInteger runsOnA = new AtomicInteger();
        AtomicInteger runsOnB = new AtomicInteger();
        try (S3FileStore storeA = server.storeBuilder(bucket).keyPrefix("shared").build();
             S3FileStore storeB = server.storeBuilder(bucket).keyPrefix("shared").build();
             Attachments a = Attachments.builder().store(storeA).processors(ContentProcessors.of(List.of(words(runsOnA)))).build();
             Attachments b = Attachments.builder().store(storeB).processors(ContentProcessors.of(List.of(words(runsOnB)))).build()) {
            Attachment uploaded = a.storeAndProcess(Attachment.fromBytes("note.txt",
                    "processed once for every instance".getBytes(StandardCharsets.UTF_8), "text/plain"));
            assertThat(uploaded.processingStatus()).isEqualTo(ProcessingStatus.DONE);
            assertThat(runsOnA).hasValue(1);
            assertThat(storeB.list()).containsExactly(uploaded.fileId());
            assertThat(storeB.fileCount()).isEqualTo(1);
            assertThat(storeB.derivedRecordDigests()).containsExactly(uploaded.sha256());

            Attachment onB = b.processAsync(Attachment.fromStored(storeB.stat(uploaded.fileId()))).get(10, TimeUnit.SECONDS);
            assertThat(onB.processingStatus()).isEqualTo(ProcessingStatus.DONE);
            assertThat(onB.processedContent().text()).isEqualTo("processed once for every instance");
            assertThat(onB.processedContent().get("words")).isEqualTo(5);
            assertThat(runsOnB).as("processor runs on B").hasValue(0);

            // the same bytes under another name, uploaded to B: still no run
            Attachment again = b.storeAndProcess(Attachment.fromBytes("copy.txt",
                    "processed once for every instance".getBytes(StandardCharsets.UTF_8), "text/plain"));
            assertThat(again.processedContent().get("words")).isEqualTo(5);
            assertThat(runsOnB).hasValue(0);

            storeB.delete(uploaded.fileId());
            assertThat(storeA.readDerivedRecord(uploaded.sha256())).as("the record went with a file of that content").isEmpty();
        }
    }
}
