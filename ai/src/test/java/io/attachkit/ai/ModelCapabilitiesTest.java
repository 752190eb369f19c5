package io.attachkit.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The presets and the builder's checks. */
class ModelCapabilitiesTest {
    @Test
    void presets_describeTheProvidersLimits() {
        assertThat(ModelCapabilities.openAi().acceptsImage("image/png")).isTrue();
        assertThat(ModelCapabilities.openAi().acceptsImage("image/tiff")).isFalse();
        assertThat(ModelCapabilities.anthropic().maxImageBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(ModelCapabilities.anthropic().acceptsPdf()).isTrue();
        assertThat(ModelCapabilities.gemini().acceptsImage("image/heic")).isTrue();
        assertThat(ModelCapabilities.textOnly().imageTypes()).isEmpty();
        assertThat(ModelCapabilities.textOnly().acceptsPdf()).isFalse();
    }

    @Test
    void acceptsImage_ignoresCaseAndParameters() {
        assertThat(ModelCapabilities.openAi().acceptsImage("Image/PNG; charset=binary")).isTrue();
        assertThat(ModelCapabilities.openAi().acceptsImage(null)).isFalse();
    }

    @Test
    void toBuilder_changesACopyOnly() {
        ModelCapabilities base = ModelCapabilities.anthropic();
        ModelCapabilities changed = base.toBuilder().maxPdfPages(5).build();

        assertThat(changed.maxPdfPages()).isEqualTo(5);
        assertThat(base.maxPdfPages()).isEqualTo(100);
        assertThat(changed.imageTypes()).isEqualTo(base.imageTypes());
    }

    @Test
    void builder_refusesBadSettings_namingThem() {
        assertThatThrownBy(() -> ModelCapabilities.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must not be blank");
        assertThatThrownBy(() -> ModelCapabilities.builder("m").maxImageBytes(0))
                .hasMessage("maxImageBytes must be positive, was 0");
        assertThatThrownBy(() -> ModelCapabilities.builder("m").imageTypes("application/pdf"))
                .hasMessageContaining("imageTypes must be image/... MIME types");
        assertThatThrownBy(() -> ModelCapabilities.builder("m").tokensPerImage(-1))
                .hasMessage("tokensPerImage must not be negative, was -1");
    }
}
