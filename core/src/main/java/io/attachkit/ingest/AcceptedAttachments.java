package io.attachkit.ingest;

import io.attachkit.Attachment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachments one track-attachments request stored, answered together once their background processing ended
 * or the request's wait ran out (the {@code ?wait=SECONDS} of the server and the Spring endpoints): what is done
 * then is answered processed, the rest with its {@code processing_status}. Not thread-safe: one per request.
 */
public final class AcceptedAttachments {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptedAttachments.class);

    private final Duration wait;
    private final List<Integer> indexes = new ArrayList<>();
    private final List<Attachment> items = new ArrayList<>();
    private final List<CompletableFuture<Attachment>> processing = new ArrayList<>();

    /**
     * @param wait how long {@link #answer} waits for processing; zero answers at once
     */
    public AcceptedAttachments(Duration wait) {
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /**
     * @param index the item's index in the request
     * @param attachment the stored attachment
     * @param processed its background processing
     */
    public void add(int index, Attachment attachment, CompletableFuture<Attachment> processed) {
        indexes.add(index);
        items.add(attachment);
        processing.add(processed);
    }

    /** @return the attachments added so far, in order (to undo a request that failed as a whole) */
    public List<Attachment> attachments() {
        return List.copyOf(items);
    }

    /**
     * Waits for their processing (at most the wait), then adds each as a success and builds the answer.
     *
     * @param response the request's answer so far (its per-item errors)
     * @return the answer
     */
    public TrackAttachmentsResponse answer(TrackAttachmentsResponse.Builder response) {
        awaitAll(processing, wait);
        for (int i = 0; i < items.size(); i++) {
            response.success(indexes.get(i), items.get(i));
        }
        return response.build();
    }

    /**
     * Waits at most {@code max} for all of these jobs; a job that fails or is still running after it is not an error
     * here (its attachment says so by its {@code processing_status}).
     *
     * @param processing background processing jobs
     * @param max the longest wait; zero returns at once
     */
    public static void awaitAll(List<CompletableFuture<Attachment>> processing, Duration max) {
        if (processing.isEmpty() || max.isZero()) {
            return;
        }
        try {
            CompletableFuture.allOf(processing.toArray(CompletableFuture[]::new)).get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            // answered with what is done: the others are queued or running
        } catch (ExecutionException e) {
            LOG.debug("A processing job ended with an error", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
