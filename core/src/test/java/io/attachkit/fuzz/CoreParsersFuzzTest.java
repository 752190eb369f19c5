package io.attachkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.InvalidContentException;
import io.attachkit.UnsafePathException;
import io.attachkit.internal.StoragePaths;
import io.attachkit.internal.mime.MimeDetector;
import java.util.Base64;

/**
 * Fuzz targets for core's parsers of client input. In a normal {@code mvn verify} each target replays its
 * checked-in seeds ({@code src/test/resources/io/attachkit/fuzz/CoreParsersFuzzTestInputs/<target>/}) as
 * regression tests; {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=CoreParsersFuzzTest#<target>
 * -Djazzer.max_duration=5m} fuzzes one target for real. The invariant everywhere: a typed attachkit
 * exception or a correct result, never another exception, a hang or a crash.
 */
class CoreParsersFuzzTest {
    private static final MimeDetector DETECTOR = new MimeDetector();

    @FuzzTest(maxDuration = "10s")
    void base64AndDataUris(FuzzedDataProvider data) {
        String input = data.consumeRemainingAsString();
        try {
            byte[] bytes = Attachment.fromBase64("fuzz.bin", input, null).getContentBytes(null);
            // whatever was accepted must be what the JDK's own decoder makes of the same alphabet
            String payload = input.regionMatches(true, 0, "data:", 0, 5) ? input.substring(input.indexOf(',') + 1) : input;
            String clean = payload.replaceAll("[\\r\\n\\t ]", "").replace('-', '+').replace('_', '/');
            assertThat(bytes).isEqualTo(Base64.getDecoder().decode(clean + "==".substring(0, (4 - clean.length() % 4) % 4 == 3 ? 0 : (4 - clean.length() % 4) % 4)));
        } catch (InvalidContentException expected) {
            assertThat(expected.getMessage()).contains("fuzz.bin");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void tylerJson(FuzzedDataProvider data) {
        String json = data.consumeRemainingAsString();
        try {
            Attachment a = Attachment.fromJson(json);
            // anything that loads must round-trip to the same dump
            assertThat(Attachment.fromJson(a.toJson()).modelDump()).isEqualTo(a.modelDump());
        } catch (AttachmentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void idsPathsAndFilenames(FuzzedDataProvider data) {
        String value = data.consumeRemainingAsString();
        try {
            String id = StoragePaths.fileIdOf(value);
            // a path we accept never climbs out and always maps back to itself
            assertThat(value).doesNotContain("..").doesNotStartWith("/").doesNotContain("\\").doesNotContain("%");
            assertThat(value).startsWith(id.substring(0, 2) + "/" + id.substring(2));
        } catch (UnsafePathException expected) {
            // refused
        }
        try {
            StoragePaths.requireFilename(value);
            String ext = StoragePaths.extensionOf(value);
            assertThat(ext).matches("(\\.[a-z0-9]{1,10}){0,2}");
            assertThat(StoragePaths.url(StoragePaths.layout("abcdef", ext))).matches("/files/ab/cdef[a-z0-9.]*");
        } catch (InvalidContentException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "10s")
    void mimeDetection(FuzzedDataProvider data) {
        String name = data.consumeString(64);
        String declared = data.consumeString(40);
        byte[] header = data.consumeRemainingAsBytes();
        String type = DETECTOR.detect(header, name, declared).mimeType();
        assertThat(type).isNotBlank().contains("/");
    }
}
