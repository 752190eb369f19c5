package io.attachkit.ingest;

import io.attachkit.Attachment;
import java.util.Objects;

/**
 * One part of an agent "query" request: a {@link File} (an attachment) or a {@link Text}.
 */
public sealed interface QueryPart permits QueryPart.File, QueryPart.Text {

    /** @return the part's position in the request, from 0 */
    int index();

    /**
     * A file part: {@code {"type":"file","name":"data.csv","mimeType":"text/csv","base64":"..."}}.
     *
     * @param index the part's position
     * @param name the file's name
     * @param mimeType the declared type, or {@code null}
     * @param attachment the attachment holding the decoded bytes (pending until stored)
     */
    record File(int index, String name, String mimeType, Attachment attachment) implements QueryPart {
        /**
         * Checks the required fields.
         *
         * @param index the part's position
         * @param name the file's name
         * @param mimeType the declared type, or {@code null}
         * @param attachment the attachment holding the decoded bytes
         */
        public File {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(attachment, "attachment");
        }
    }

    /**
     * A text part: {@code {"type":"text","text":"..."}}.
     *
     * @param index the part's position
     * @param text the text
     */
    record Text(int index, String text) implements QueryPart {
        /**
         * Checks the required fields.
         *
         * @param index the part's position
         * @param text the text
         */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }
}
