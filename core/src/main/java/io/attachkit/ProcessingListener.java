package io.attachkit;

/**
 * Receives progress of long processing work (pages of a PDF, OCR of a multi-page scan), for example to
 * draw a progress bar. Called from the worker thread; implementations must be quick and thread-safe.
 */
@FunctionalInterface
public interface ProcessingListener {
    /** A listener that ignores progress. */
    ProcessingListener NONE = (filename, stage, done, total) -> { };

    /**
     * @param filename the attachment being processed
     * @param stage what is being done, e.g. {@code "ocr"}
     * @param done units done so far
     * @param total units in all, or -1 if unknown
     */
    void progress(String filename, String stage, long done, long total);

    /**
     * Called once each time a processor has run on an attachment (not when a stored or cached result was used),
     * for example to count processor runs or time them. The default does nothing.
     *
     * @param filename the attachment that was processed
     * @param processor the processor's name
     * @param outcome {@link ProcessingStatus#DONE} or {@link ProcessingStatus#FAILED}
     * @param tookMillis how long it ran, in milliseconds
     */
    default void processed(String filename, String processor, ProcessingStatus outcome, long tookMillis) {
    }
}
