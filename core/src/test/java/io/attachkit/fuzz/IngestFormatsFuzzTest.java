package io.attachkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.InvalidContentException;
import io.attachkit.ingest.IngestMode;
import io.attachkit.ingest.QueryContext;
import io.attachkit.ingest.QueryPart;
import io.attachkit.ingest.QueryRequest;
import io.attachkit.ingest.TrackAttachmentsRequest;
import io.attachkit.ingest.TrackAttachmentsResponse;
import io.attachkit.ingest.TrackedItem;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the two request formats of {@code io.attachkit.ingest}: the track-attachments request
 * (with its per-item errors) and the agent query request. In a normal {@code mvn verify} each target replays
 * its checked-in seeds ({@code src/test/resources/io/attachkit/fuzz/IngestFormatsFuzzTestInputs/<target>/},
 * each file is one request body) as regression tests; {@code JAZZER_FUZZ=1 mvn -pl core test
 * -Dtest=IngestFormatsFuzzTest#<target> -Djazzer.max_duration=90s} fuzzes one target for real (see FUZZING.md).
 *
 * <p>The invariant: a request either parses into a consistent object or is refused as a whole with an
 * {@link InvalidContentException}; never another exception, a hang or a crash. A parsed request reads the same
 * from a String and from a stream, every item has exactly one of an attachment and an error, and the
 * responses built from it serialise to valid JSON.
 */
class IngestFormatsFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10s")
    @Timeout(10)
    void trackAttachmentsRequest(byte[] body) throws Exception {
        String json = new String(body, StandardCharsets.UTF_8);
        TrackAttachmentsRequest request;
        try {
            request = TrackAttachmentsRequest.fromJson(json);
        } catch (InvalidContentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            if (isUtf8(body)) {
                // the stream form refuses the same body
                assertThat(refusedFromStream(() -> TrackAttachmentsRequest.fromJson(new ByteArrayInputStream(body)))).isTrue();
            }
            return;
        }
        TrackAttachmentsResponse.Builder response = TrackAttachmentsResponse.builder();
        List<TrackedItem> items = request.items();
        for (int i = 0; i < items.size(); i++) {
            TrackedItem item = items.get(i);
            assertThat(item.index()).isEqualTo(i);
            assertThat(item.valid()).isEqualTo(item.error() == null);
            if (item.valid()) {
                assertThat(request.mode()).isEqualTo(IngestMode.BASE64);
                assertThat(item.filename()).isNotBlank().isEqualTo(item.attachment().filename());
                assertThat(item.attachment().fileId()).isNull(); // parsing never stores anything
                assertThat(item.attachment().getContentBytes(null)).isNotNull();
            } else {
                assertThat(item.error()).isNotBlank();
                response.failure(item.index(), item.filename(), item.error());
            }
        }
        Map<String, Object> answer = JSON.readValue(response.build().toJson(), new TypeReference<Map<String, Object>>() { });
        assertThat(answer).containsKeys("items", "summary");
        if (isUtf8(body)) {
            TrackAttachmentsRequest again = TrackAttachmentsRequest.fromJson(new ByteArrayInputStream(body));
            assertThat(again.items()).extracting(TrackedItem::error).isEqualTo(items.stream().map(TrackedItem::error).toList());
            assertThat(again.mode()).isEqualTo(request.mode());
            assertThat(again.conversationId()).isEqualTo(request.conversationId());
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(10)
    void queryRequest(byte[] body) throws Exception {
        String json = new String(body, StandardCharsets.UTF_8);
        QueryRequest request;
        try {
            request = QueryRequest.fromJson(json);
        } catch (InvalidContentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            if (isUtf8(body)) {
                assertThat(refusedFromStream(() -> QueryRequest.fromJson(new ByteArrayInputStream(body)))).isTrue();
            }
            return;
        }
        List<QueryPart> parts = request.parts();
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).index()).isEqualTo(i);
        }
        for (QueryPart.File file : request.fileParts()) {
            assertThat(file.name()).isNotBlank();
            assertThat(file.attachment().fileId()).isNull();
            assertThat(file.attachment().getContentBytes(null)).isNotNull();
        }
        QueryContext context = QueryContext.of(request.kwargs(), parts);
        Map<?, ?> answer = JSON.readValue(context.toJson(), Map.class);
        assertThat((List<?>) answer.get("context")).hasSize(parts.size());
        assertThat(((Map<?, ?>) answer.get("summary")).get("files")).isEqualTo(request.fileParts().size());
        if (isUtf8(body)) {
            assertThat(QueryRequest.fromJson(new ByteArrayInputStream(body)).parts()).hasSize(parts.size());
        }
    }

    /** Jackson reads a stream as UTF-8 and refuses malformed bytes a String would have replaced. */
    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean refusedFromStream(Runnable parse) {
        try {
            parse.run();
            return false;
        } catch (InvalidContentException expected) {
            return true;
        }
    }
}
