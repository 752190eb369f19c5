package io.attachkit.processors;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The EXIF facts an overview needs, read with metadata-extractor. */
final class ExifFacts {
    private static final Logger LOG = LoggerFactory.getLogger(ExifFacts.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private ExifFacts() {
    }

    /**
     * @return camera, orientation (the EXIF code 1 to 8), orientation_text, captured (local time as written
     *     by the camera, ISO-8601 without zone), x_resolution, has_gps; empty when the file has no EXIF
     */
    static Map<String, Object> read(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(file.toFile());
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            LOG.debug("No readable metadata in {}: {}", file, e.toString());
            return m;
        }
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (ifd0 != null) {
            String make = ifd0.getString(ExifIFD0Directory.TAG_MAKE);
            String model = ifd0.getString(ExifIFD0Directory.TAG_MODEL);
            String camera = camera(make, model);
            if (camera != null) {
                m.put("camera", camera);
            }
            Integer orientation = ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            if (orientation != null && orientation >= 1 && orientation <= 8) {
                m.put("orientation", orientation);
                m.put("orientation_text", ifd0.getDescription(ExifIFD0Directory.TAG_ORIENTATION));
            }
        }
        ExifSubIFDDirectory sub = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        if (sub != null) {
            // EXIF times carry no zone: read them as UTC so the written wall-clock time comes back unchanged
            Date original = sub.getDateOriginal(TimeZone.getTimeZone("UTC"));
            if (original == null) {
                original = sub.getDateDigitized(TimeZone.getTimeZone("UTC"));
            }
            if (original != null) {
                m.put("captured", LOCAL.format(original.toInstant()));
            }
        }
        if (metadata.getFirstDirectoryOfType(GpsDirectory.class) != null) {
            m.put("has_gps", true);
        }
        return m;
    }

    private static String camera(String make, String model) {
        make = make == null ? null : make.strip();
        model = model == null ? null : model.strip();
        if (make == null || make.isEmpty()) {
            return model == null || model.isEmpty() ? null : model;
        }
        if (model == null || model.isEmpty()) {
            return make;
        }
        return model.toLowerCase().startsWith(make.toLowerCase()) ? model : make + " " + model;
    }
}
