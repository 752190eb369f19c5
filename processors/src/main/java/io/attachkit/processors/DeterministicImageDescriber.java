package io.attachkit.processors;

import io.attachkit.ProcessedContent;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Map;

/** Builds the overview sentence from the facts alone. */
final class DeterministicImageDescriber implements ImageDescriber {
    static final DeterministicImageDescriber INSTANCE = new DeterministicImageDescriber();
    private static final int QUOTE_CHARS = 200;

    private DeterministicImageDescriber() {
    }

    @Override
    public String describe(BufferedImage image, ProcessedContent facts) {
        StringBuilder s = new StringBuilder();
        String format = String.valueOf(facts.get("format")).toUpperCase(Locale.ROOT);
        s.append(article(format)).append(' ').append(facts.get("width")).append('x').append(facts.get("height"))
                .append(' ').append(format).append(" image");
        Object frames = facts.get("frames");
        if (frames instanceof Integer n && n > 1) {
            s.append(" with ").append(n).append(" pages");
        }
        s.append(" (").append(facts.get("color_model"));
        if (Boolean.TRUE.equals(facts.get("alpha"))) {
            s.append(" with transparency");
        }
        if (facts.get("dpi") != null) {
            s.append(", ").append(facts.get("dpi")).append(" DPI");
        }
        s.append(')');
        if (facts.get("exif") instanceof Map<?, ?> exif) {
            if (exif.get("camera") != null) {
                s.append(" taken with ").append(exif.get("camera"));
            }
            if (exif.get("captured") != null) {
                s.append(" on ").append(exif.get("captured"));
            }
        }
        String text = facts.text();
        if (text != null && !text.isBlank()) {
            String flat = text.replaceAll("\\s+", " ").strip();
            if (flat.length() > QUOTE_CHARS) {
                flat = flat.substring(0, QUOTE_CHARS) + "...";
            }
            s.append("; it contains the text: \"").append(flat).append('"');
        } else {
            s.append("; no text was recognised");
        }
        return s.append('.').toString();
    }

    private static String article(String word) {
        return !word.isEmpty() && "AEIOU".indexOf(word.charAt(0)) >= 0 ? "An" : "A";
    }
}
