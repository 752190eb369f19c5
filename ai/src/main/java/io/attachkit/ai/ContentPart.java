package io.attachkit.ai;

import java.util.Objects;

/**
 * One part of a chat message built from attachments, in framework-neutral form: text, a native image or a
 * native PDF. The framework adapters map each to their own content type.
 *
 * <p>All parts are immutable values.
 */
public sealed interface ContentPart {

    /**
     * Text: a header naming a file, an attachment's extracted text, or the note about what was cut.
     *
     * @param text the text
     */
    record Text(String text) implements ContentPart {
        /**
         * @param text the text
         */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image sent natively.
     *
     * @param mimeType its MIME type, e.g. {@code image/png}
     * @param base64 its bytes, base64-encoded
     * @param filename the attachment's file name
     */
    record Image(String mimeType, String base64, String filename) implements ContentPart {
        /**
         * @param mimeType its MIME type
         * @param base64 its bytes, base64-encoded
         * @param filename the attachment's file name
         */
        public Image {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(base64, "base64");
            Objects.requireNonNull(filename, "filename");
        }

        /** @return the type, name and encoded length; never the data, which may be megabytes */
        @Override
        public String toString() {
            return "Image[" + mimeType + ", " + filename + ", " + base64.length() + " base64 chars]";
        }
    }

    /**
     * A PDF sent natively.
     *
     * @param base64 its bytes, base64-encoded
     * @param filename the attachment's file name
     */
    record Pdf(String base64, String filename) implements ContentPart {
        /**
         * @param base64 its bytes, base64-encoded
         * @param filename the attachment's file name
         */
        public Pdf {
            Objects.requireNonNull(base64, "base64");
            Objects.requireNonNull(filename, "filename");
        }

        /** @return the name and encoded length; never the data, which may be megabytes */
        @Override
        public String toString() {
            return "Pdf[" + filename + ", " + base64.length() + " base64 chars]";
        }
    }
}
