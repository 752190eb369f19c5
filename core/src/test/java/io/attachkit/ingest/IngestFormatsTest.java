package io.attachkit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.InvalidContentException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestFormatsTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void trackRequest_parsesConversationMetadataModeAndItems() {
        TrackAttachmentsRequest r = TrackAttachmentsRequest.fromJson("{\"conversation_id\":\"c-1\",\"metadata\":{\"k\":1},"
                + "\"mode\":\"BASE64\",\"attachments\":[{\"filename\":\"a.txt\",\"mime_type\":\"text/plain\",\"data\":\"" + b64("hi") + "\"}]}");
        assertThat(r.conversationId()).isEqualTo("c-1");
        assertThat(r.metadata()).containsEntry("k", 1);
        assertThat(r.mode()).isEqualTo(IngestMode.BASE64);
        Attachment a = r.items().get(0).attachment();
        assertThat(a.filename()).isEqualTo("a.txt");
        assertThat(a.getContentBytes(null)).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void trackRequest_badItemsAreReportedPerItemNotForTheRequest() {
        TrackAttachmentsRequest r = TrackAttachmentsRequest.fromJson("[{\"filename\":\"ok.txt\",\"data\":\"" + b64("x") + "\"},"
                + "{\"filename\":\"bytes.bin\",\"data\":[1,2,3]}, {\"data\":\"eA==\"}, 42, {\"filename\":\"bad.txt\",\"data\":\"%%%\"}]");
        assertThat(r.items()).extracting(TrackedItem::valid).containsExactly(true, false, false, false, false);
        assertThat(r.items().get(1).error()).contains("mode is 'base64' but data is raw bytes");
        assertThat(r.items().get(2).error()).contains("filename");
        assertThat(r.items().get(3).error()).contains("must be an object");
        assertThat(r.items().get(4).error()).contains("invalid base64");
    }

    @Test
    void trackRequest_stringDataInFormDataMode_isAnItemError() {
        TrackAttachmentsRequest r = TrackAttachmentsRequest.fromJson("{\"mode\":\"form_data\",\"attachments\":[{\"filename\":\"a.txt\",\"data\":\"eA==\"}]}");
        assertThat(r.items().get(0).error()).contains("mode is 'form_data' but data is a string");
    }

    @Test
    void trackRequest_malformedAsAWhole_isInvalidContent() {
        assertThatThrownBy(() -> TrackAttachmentsRequest.fromJson("{\"attachments\":{}}")).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("'attachments' must be a list");
        assertThatThrownBy(() -> TrackAttachmentsRequest.fromJson("{\"mode\":\"fax\",\"attachments\":[]}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("Unknown mode");
        assertThatThrownBy(() -> TrackAttachmentsRequest.fromJson("{\"attachments\":[")).isInstanceOf(InvalidContentException.class);
    }

    @Test
    void deeplyNestedJson_isRefusedByTheParserLimits() {
        String deep = "{\"metadata\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"attachments\":[]}";
        assertThatThrownBy(() -> TrackAttachmentsRequest.fromJson(deep)).isInstanceOf(InvalidContentException.class)
                .hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> QueryRequest.fromJson("{\"kwargs\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001)))
                .isInstanceOf(InvalidContentException.class);
    }

    @Test
    void trackResponse_hasTheWireShapeInIndexOrder() {
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"), ZoneOffset.UTC);
        Attachment a = Attachment.fromBytes("a.txt", new byte[] {1}, "text/plain");
        TrackAttachmentsResponse r = TrackAttachmentsResponse.builder(clock).failure(1, "b.txt", "bad").success(0, a).build();
        assertThat(r.toJson()).startsWith("{\"items\":[{\"index\":0,\"type\":\"attachment\",\"timestamp\":\"2025-06-01T10:00:00Z\","
                + "\"success\":true,\"attachment\":{\"filename\":\"a.txt\"")
                .endsWith("{\"index\":1,\"type\":\"attachment\",\"timestamp\":\"2025-06-01T10:00:00Z\",\"success\":false,"
                        + "\"filename\":\"b.txt\",\"error\":\"bad\"}],\"summary\":{\"attachments\":1,\"errors\":1}}");
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void queryRequest_theAgentDocsRequest_parsesFileAndTextPartsInOrder() {
        String csv = "a,b\n2,123\n-3,4124\n1,7";
        QueryRequest q = QueryRequest.fromJson("{\"kwargs\":{\"session_id\":\"s\"},\"parts\":[{\"type\":\"file\",\"name\":\"data.csv\","
                + "\"mimeType\":\"text/csv\",\"base64\":\"" + b64(csv) + "\"},{\"type\":\"text\",\"text\":\"What's the sum of the first column\"}]}");
        assertThat(q.kwargs()).containsEntry("session_id", "s");
        assertThat(q.parts()).hasSize(2);
        QueryPart.File f = (QueryPart.File) q.parts().get(0);
        assertThat(f.name()).isEqualTo("data.csv");
        assertThat(f.mimeType()).isEqualTo("text/csv");
        assertThat(new String(f.attachment().getContentBytes(null), StandardCharsets.UTF_8)).isEqualTo(csv);
        assertThat(((QueryPart.Text) q.parts().get(1)).text()).isEqualTo("What's the sum of the first column");
        QueryContext ctx = QueryContext.of(q.kwargs(), q.parts());
        assertThat(ctx.text()).isEqualTo("What's the sum of the first column");
        assertThat((List<?>) ctx.toMap().get("context")).hasSize(2);
    }

    @Test
    void queryRequest_badParts_nameThePart() {
        assertThatThrownBy(() -> QueryRequest.fromJson("{\"parts\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"video\"}]}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("part 1").hasMessageContaining("'file' or 'text'");
        assertThatThrownBy(() -> QueryRequest.fromJson("{\"parts\":[{\"type\":\"file\",\"name\":\"a.bin\"}]}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> QueryRequest.fromJson("{\"parts\":[{\"type\":\"file\",\"name\":\"a.bin\",\"base64\":\"!!\"}]}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("part 0");
        assertThatThrownBy(() -> QueryRequest.fromMap(Map.of("parts", "nope"))).isInstanceOf(InvalidContentException.class);
    }
}
