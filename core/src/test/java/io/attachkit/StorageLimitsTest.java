package io.attachkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link StorageLimits}: Tyler's defaults, the environment, the builder, and their order. */
class StorageLimitsTest {

    @Test
    void defaults_areTylers() {
        StorageLimits d = StorageLimits.defaults();
        assertThat(d.maxFileSize()).isEqualTo(50L * 1024 * 1024);
        assertThat(d.maxStorageSize()).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(StorageLimits.TYLER_MIME_TYPES).hasSize(24);
        assertThat(d.allowedMimeTypes()).containsAll(StorageLimits.TYLER_MIME_TYPES)
                .contains("image/tiff", "image/bmp", "text/markdown", "text/tab-separated-values").hasSize(39);
    }

    @Test
    void defaults_allowTheOfficeWebAndEmailTypesTheOfficeProcessorsRead() {
        StorageLimits d = StorageLimits.defaults();
        for (String type : new String[] {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.oasis.opendocument.text",
                "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.presentation",
                "application/rtf", "text/html", "message/rfc822", "application/vnd.ms-outlook"}) {
            assertThat(d.isAllowed(type)).as(type).isTrue();
        }
        // macro-enabled documents are not among them
        assertThat(d.isAllowed("application/vnd.ms-word.document.macroenabled.12")).isFalse();
    }

    @Test
    void aliases_areAllowedLikeTheirCanonicalType() {
        StorageLimits d = StorageLimits.defaults();
        assertThat(d.isAllowed("image/jpg")).isTrue();
        assertThat(d.isAllowed("audio/x-wav")).isTrue();
        assertThat(d.isAllowed("audio/vnd.wave")).isTrue();
        assertThat(d.isAllowed("text/plain; charset=utf-8")).isTrue();
        assertThat(d.isAllowed("TEXT/CSV")).isTrue();
        assertThat(d.isAllowed("application/xhtml+xml")).isFalse();
        assertThat(d.isAllowed("application/x-msdownload")).isFalse();
        assertThat(d.isAllowed(null)).isFalse();
    }

    @Test
    void environment_overridesDefaults() {
        StorageLimits l = StorageLimits.builder(Map.of(
                "ATTACHKIT_MAX_FILE_SIZE", "1024",
                "ATTACHKIT_MAX_STORAGE_SIZE", "4096",
                "ATTACHKIT_ALLOWED_MIME_TYPES", "text/plain, application/pdf")).build();
        assertThat(l.maxFileSize()).isEqualTo(1024);
        assertThat(l.maxStorageSize()).isEqualTo(4096);
        assertThat(l.allowedMimeTypes()).containsExactly("text/plain", "application/pdf");
    }

    @Test
    void builder_overridesEnvironment() {
        StorageLimits l = StorageLimits.builder(Map.of("ATTACHKIT_MAX_FILE_SIZE", "1024"))
                .maxFileSize(2048).build();
        assertThat(l.maxFileSize()).isEqualTo(2048);
    }

    @Test
    void allowMimeType_addsToEnvironmentTypes() {
        StorageLimits l = StorageLimits.builder(Map.of("ATTACHKIT_ALLOWED_MIME_TYPES", "text/plain"))
                .allowMimeType("application/x-yaml").build();
        assertThat(l.allowedMimeTypes()).containsExactly("text/plain", "application/x-yaml");
    }

    @Test
    void invalidEnvironmentValues_failAtBuildTime_namingTheVariable() {
        assertThatThrownBy(() -> StorageLimits.builder(Map.of("ATTACHKIT_MAX_FILE_SIZE", "50MB")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ATTACHKIT_MAX_FILE_SIZE").hasMessageContaining("50MB");
        assertThatThrownBy(() -> StorageLimits.builder(Map.of("ATTACHKIT_MAX_STORAGE_SIZE", "-5")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ATTACHKIT_MAX_STORAGE_SIZE");
        assertThatThrownBy(() -> StorageLimits.builder(Map.of("ATTACHKIT_ALLOWED_MIME_TYPES", " , ")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ATTACHKIT_ALLOWED_MIME_TYPES");
        assertThatThrownBy(() -> StorageLimits.builder(Map.of("ATTACHKIT_ALLOWED_MIME_TYPES", "pdf")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pdf'");
    }

    @Test
    void builderSetters_validateAtOnce_withTheSettingAndValue() {
        assertThatThrownBy(() -> StorageLimits.builder().maxFileSize(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxFileSize must be positive, was -1");
        assertThatThrownBy(() -> StorageLimits.builder().maxStorageSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxStorageSize must be positive, was 0");
        assertThatThrownBy(() -> StorageLimits.builder().allowedMimeTypes(Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedMimeTypes must not be empty");
    }

    @Test
    void toBuilder_makesAChangedCopy() {
        StorageLimits d = StorageLimits.defaults();
        StorageLimits smaller = d.toBuilder().maxFileSize(10).build();
        assertThat(smaller.maxFileSize()).isEqualTo(10);
        assertThat(smaller.allowedMimeTypes()).isEqualTo(d.allowedMimeTypes());
        assertThat(d.maxFileSize()).isEqualTo(StorageLimits.DEFAULT_MAX_FILE_SIZE);
    }
}
