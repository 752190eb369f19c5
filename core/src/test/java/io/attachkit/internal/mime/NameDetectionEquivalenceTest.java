package io.attachkit.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeType;
import org.apache.tika.parser.ParseContext;
import org.junit.jupiter.api.Test;

/**
 * The type a filename alone gives, asked without a stream (no 64 KiB header array per save), is the one Tika
 * gives for the name and an empty stream (the way it was asked before): for every glob extension Tika knows
 * and for names that are odd as URIs.
 */
class NameDetectionEquivalenceTest {
    private final MimeDetector detector = new MimeDetector();
    private final org.apache.tika.mime.MimeTypes tika = org.apache.tika.mime.MimeTypes.getDefaultMimeTypes();

    @Test
    void everyKnownExtensionAndOddName_givesTheEmptyStreamAnswer() throws Exception {
        List<String> names = new ArrayList<>();
        for (MediaType type : tika.getMediaTypeRegistry().getTypes()) {
            MimeType mime = tika.forName(type.toString());
            for (String ext : mime.getExtensions()) {
                names.add("file" + ext);
                names.add("UPPER" + ext.toUpperCase(java.util.Locale.ROOT));
                names.add("http://host/dir/file" + ext);
                names.add("a b%zz" + ext); // not a URI
                names.add("dir/" + ext);
            }
        }
        names.addAll(List.of("x.", ".", "..", "a.b.c", "report.pdf?x=1", "file:///tmp/a.txt", "http://h/", "mailto:a@b.c",
                "archive.tar.gz", "weird.\u00e9t\u00e9", "Makefile.am", "x.unknownextension"));
        assertThat(names).hasSizeGreaterThan(1000);
        for (String name : names) {
            assertThat(detector.byName(name)).as(name).isEqualTo(withEmptyStream(name));
        }
    }

    /** How {@code MimeDetector} asked before: Tika's detect on an empty stream with the name as a hint. */
    private String withEmptyStream(String filename) throws IOException {
        if (filename.lastIndexOf('.') < 0) {
            return null;
        }
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        try (TikaInputStream empty = TikaInputStream.get(new byte[0])) {
            String n = MimeTypes.normalize(tika.detect(empty, metadata, new ParseContext()).toString());
            return "application/octet-stream".equals(n) ? null : n;
        }
    }
}
