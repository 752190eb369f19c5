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
}
