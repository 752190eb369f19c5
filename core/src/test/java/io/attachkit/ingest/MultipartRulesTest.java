package io.attachkit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.InvalidContentException;
import org.junit.jupiter.api.Test;

/** The per-part rules both multipart engines (server, Spring Boot endpoint) answer with. */
class MultipartRulesTest {
    @Test
    void requestFields_areTheThreeNames_onlyAsPlainFields() {
        assertThat(MultipartRules.isRequestField("conversation_id", false)).isTrue();
        assertThat(MultipartRules.isRequestField("metadata", false)).isTrue();
        assertThat(MultipartRules.isRequestField("mode", false)).isTrue();
        assertThat(MultipartRules.isRequestField("metadata", true)).as("a file named like a field is an item").isFalse();
        assertThat(MultipartRules.isRequestField("files", false)).isFalse();
        assertThat(MultipartRules.isRequestField("", false)).isFalse();
    }

    @Test
    void metadata_mustBeAJsonObject() {
        MultipartRules.requireMetadataObject("{\"thread\": 7}");
        assertThatThrownBy(() -> MultipartRules.requireMetadataObject("[1, 2]"))
                .isInstanceOf(InvalidContentException.class).hasMessage("Form field 'metadata' must be a JSON object");
        assertThatThrownBy(() -> MultipartRules.requireMetadataObject("{not json"))
                .isInstanceOf(InvalidContentException.class).hasMessageStartingWith("Form field 'metadata' must be a JSON object: ");
        // bounded like the JSON requests: a deeply nested metadata field is refused, not a stack overflow
        assertThatThrownBy(() -> MultipartRules.requireMetadataObject("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("must be a JSON object");
    }

    @Test
    void itemErrors_sayWhyAPartIsNoItem_inTheOrderTheyAreChecked() {
        assertThat(MultipartRules.itemError("files", IngestMode.FORM_DATA, true, "a.txt", null)).isNull();
        assertThat(MultipartRules.itemError("files", IngestMode.BASE64, true, "a.txt", null))
                .isEqualTo("field 'files': " + IngestMode.BASE64.mismatch(true));
        assertThat(MultipartRules.itemError("note", IngestMode.FORM_DATA, false, null, null))
                .isEqualTo("field 'note': " + IngestMode.FORM_DATA.mismatch(false));
        assertThat(MultipartRules.itemError("note", IngestMode.BASE64, false, null, null))
                .isEqualTo("field 'note': mode 'base64' items are sent as JSON (application/json), not as multipart fields");
        assertThat(MultipartRules.itemError("files", IngestMode.FORM_DATA, true, null, "the filename \"a\\0\" contains a NUL character"))
                .isEqualTo("file part 'files': the filename \"a\\0\" contains a NUL character");
        assertThat(MultipartRules.itemError("files", IngestMode.FORM_DATA, true, " ", null))
                .isEqualTo("file part 'files' has no filename");
        assertThat(MultipartRules.itemError("files", IngestMode.FORM_DATA, true, null, null))
                .isEqualTo("file part 'files' has no filename");
    }
}
