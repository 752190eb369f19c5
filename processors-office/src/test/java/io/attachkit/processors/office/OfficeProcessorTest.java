package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ContentProcessor;
import io.attachkit.processors.OcrEngine;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The identity of every processor of the package, as {@link ServiceLoader} finds them: names, types, versions. */
class OfficeProcessorTest {
    private static final String OOXML = "application/vnd.openxmlformats-officedocument.";
    private static final String ODF = "application/vnd.oasis.opendocument.";

    @Test
    void namesTypesVersionsAndPrioritiesArePinned() {
        Map<String, List<String>> types = new TreeMap<>();
        types.put("doc", List.of("application/msword"));
        types.put("docx", List.of(OOXML + "wordprocessingml.document", OOXML + "wordprocessingml.template"));
        types.put("eml", List.of("message/rfc822"));
        types.put("html", List.of("text/html", "application/xhtml+xml"));
        types.put("msg", List.of("application/vnd.ms-outlook"));
        types.put("odp", List.of(ODF + "presentation"));
        types.put("ods", List.of(ODF + "spreadsheet"));
        types.put("odt", List.of(ODF + "text"));
        types.put("ppt", List.of("application/vnd.ms-powerpoint"));
        types.put("pptx", List.of(OOXML + "presentationml.presentation", OOXML + "presentationml.slideshow"));
        types.put("rtf", List.of("application/rtf", "text/rtf"));
        types.put("xls", List.of("application/vnd.ms-excel"));
        types.put("xlsx", List.of(OOXML + "spreadsheetml.sheet", OOXML + "spreadsheetml.template"));
        Map<String, String> versions = Map.of("eml", "2", "ppt", "2", "pptx", "2");
        Map<String, Integer> priorities = Map.of("html", 10, "rtf", 10);

        Map<String, ContentProcessor> found = new TreeMap<>();
        for (ContentProcessor p : ServiceLoader.load(ContentProcessor.class)) {
            if (p.getClass().getPackageName().equals(DocProcessor.class.getPackageName())) {
                found.put(p.name(), p);
            }
        }
        try {
            assertThat(found.keySet()).containsExactlyElementsOf(types.keySet());
            found.forEach((name, p) -> {
                for (String type : types.get(name)) {
                    assertThat(p.supports(type)).as(name + " reads " + type).isTrue();
                }
                assertThat(p.supports(null)).as(name).isFalse();
                assertThat(p.supports("application/octet-stream")).as(name).isFalse();
                assertThat(p.version()).as(name).isEqualTo(versions.getOrDefault(name, "1"));
                assertThat(p.priority()).as(name).isEqualTo(priorities.getOrDefault(name, 0));
            });
        } finally {
            found.values().forEach(ContentProcessor::close);
        }
    }

    @Test
    void slideProcessorsRefuseANullOcrEngine() {
        assertThatThrownBy(() -> new PptProcessor((OcrEngine) null)).isInstanceOf(NullPointerException.class).hasMessage("ocr");
        assertThatThrownBy(() -> new PptxProcessor((OcrEngine) null)).isInstanceOf(NullPointerException.class).hasMessage("ocr");
    }
}
