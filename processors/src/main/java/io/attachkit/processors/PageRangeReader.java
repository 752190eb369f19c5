package io.attachkit.processors;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the text layers of a PDF's pages ({@link PageTextCollector}) on idle cores: the pages are cut into
 * ranges that the calling thread and helper threads take in page order, each helper with its own
 * {@link PDDocument} over the same file (PDFBox documents are not thread-safe), and the ranges are joined in
 * page order exactly as one sequential pass would have read them: the same layers, the same stop at the
 * character budget, the same failure from the same page. A range after one that leaves marked content open
 * (which PDFBox carries into the next page) makes the document be read again in one pass.
 *
 * <p>Helpers are only taken while fewer threads than there are cores are reading PDFs through this reader
 * (callers and helpers together), never more than {@code maxThreads - 1} per document, and a helper stops
 * taking ranges as soon as more threads than cores are reading: a server busy with several documents reads
 * each on its own thread, as before, and a lone large document gets the idle cores. The helpers run in a
 * small pool of daemon threads owned by this reader, started on demand and ended after a minute idle.
 * Thread-safe; close it to stop the pool.
 */
final class PageRangeReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PageRangeReader.class);
    /** Documents with fewer pages to read are read on the calling thread: a second load would not pay. */
    static final int MIN_PAGES_TO_SPLIT = 8;
    /** Ranges per thread: small enough that a thread finishing early takes over pages, large enough to amortize. */
    private static final int RANGES_PER_THREAD = 4;
    private static final int MIN_PAGES_PER_RANGE = 2;

    private final int maxThreads;
    private final int cores;
    private final ThreadPoolExecutor helpers;
    /** Threads reading PDF pages through this reader now: callers and helpers. */
    private final AtomicInteger reading = new AtomicInteger();

    /** @param maxThreads the most threads that read one document, the caller's included; positive */
    PageRangeReader(int maxThreads) {
        this(maxThreads, Runtime.getRuntime().availableProcessors());
    }

    PageRangeReader(int maxThreads, int cores) {
        if (maxThreads <= 0) {
            throw new IllegalArgumentException("maxThreads must be positive, was " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.cores = Math.max(1, cores);
        int poolSize = Math.max(1, Math.min(maxThreads, this.cores) - 1);
        this.helpers = new ThreadPoolExecutor(0, poolSize, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads());
    }

    /**
     * Reads pages 1..lastPage of {@code doc} as {@code new PageTextCollector(budget).collect(doc, lastPage)} does.
     *
     * @param file the file {@code doc} was loaded from, which helpers load again
     * @param doc the loaded document, read by the calling thread
     * @param lastPage the last page to read, 1-based
     * @param budget the character budget
     * @return one layer per page read, as the sequential pass returns them
     * @throws IOException what the sequential pass would throw; {@link InterruptedIOException} when interrupted
     */
    List<PageLayer> read(Path file, PDDocument doc, int lastPage, long budget) throws IOException {
        reading.incrementAndGet();
        try {
            int extra = lastPage >= MIN_PAGES_TO_SPLIT ? reserveHelpers() : 0;
            if (extra == 0) {
                return new PageTextCollector(budget).collect(doc, lastPage);
            }
            Split split = new Split(file, lastPage, budget, 1 + extra);
            for (int i = 0; i < extra; i++) {
                try {
                    helpers.execute(split::help);
                } catch (RejectedExecutionException e) {
                    // a pool thread is still on its way back from its last document, or the reader is closed
                    reading.decrementAndGet();
                }
            }
            List<PageLayer> layers = split.readAndJoin(doc);
            return layers != null ? layers : new PageTextCollector(budget).collect(doc, lastPage);
        } finally {
            reading.decrementAndGet();
        }
    }

    /** @return helpers reserved for one document: counted in {@link #reading} until each ends */
    private int reserveHelpers() {
        int got = 0;
        while (got < maxThreads - 1) {
            int now = reading.get();
            if (now >= cores) {
                break;
            }
            if (reading.compareAndSet(now, now + 1)) {
                got++;
            }
        }
        return got;
    }

    /** Stops the helper threads; documents being read finish on their callers' threads. */
    @Override
    public void close() {
        helpers.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "attachkit-pdf-pages-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One document's pages cut into ranges, taken in order by the caller and its helpers. */
    private final class Split {
        private final Path file;
        private final long budget;
        private final List<int[]> ranges = new ArrayList<>();
        private final List<CompletableFuture<PageTextCollector.Range>> results = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();
        /** Characters read by finished ranges: once past the budget, later ranges are not needed. */
        private final AtomicLong finishedChars = new AtomicLong();
        /** Set when a finished range failed or ended the page tree, or the caller gave up. */
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicBoolean cancelled = new AtomicBoolean();

        Split(Path file, int lastPage, long budget, int threads) {
            this.file = file;
            this.budget = budget;
            int size = Math.max(MIN_PAGES_PER_RANGE, -Math.floorDiv(-lastPage, threads * RANGES_PER_THREAD));
            for (int first = 1; first <= lastPage; first += size) {
                ranges.add(new int[] {first, Math.min(lastPage, first + size - 1)});
                results.add(new CompletableFuture<>());
            }
        }

        /** A helper's work: its own document, ranges until none is left or the cores are wanted elsewhere. */
        void help() {
            try {
                if (stop.get() || next.get() >= ranges.size()) {
                    return;
                }
                try (PDDocument own = Loader.loadPDF(file.toFile(), IOUtils.createTempFileOnlyStreamCache())) {
                    while (reading.get() <= cores && readNext(own)) {
                        // next range
                    }
                } catch (IOException | RuntimeException e) {
                    // the caller loaded the same file; whatever went wrong here, it reads the ranges left itself
                    LOG.debug("A PDF page helper could not open {}: {}", file, e.toString());
                }
            } finally {
                reading.decrementAndGet();
            }
        }

        /** @return whether a range was taken (and read); false when none is left or reading should stop */
        private boolean readNext(PDDocument doc) {
            int i = next.getAndIncrement();
            if (i >= ranges.size()) {
                return false;
            }
            CompletableFuture<PageTextCollector.Range> result = results.get(i);
            if (stop.get() || finishedChars.get() > budget) {
                // every range before i was taken already, and what they read decides that range i is not needed
                result.complete(null);
                return false;
            }
            try {
                PageTextCollector.Range range = new PageTextCollector(budget, cancelled::get).collect(doc, ranges.get(i)[0], ranges.get(i)[1]);
                finishedChars.addAndGet(range.layers().stream().mapToLong(l -> l.text().length()).sum());
                if (range.failure() != null || range.treeEnded() || range.markedContentOpen()) {
                    stop.set(true);
                }
                result.complete(range);
                return true;
            } catch (Throwable t) {
                result.completeExceptionally(t);
                throw t;
            }
        }

        /**
         * Reads ranges on the calling thread until none is left, then joins all of them in page order.
         *
         * @return the layers, or {@code null} when a range left marked content open into the next one
         */
        List<PageLayer> readAndJoin(PDDocument doc) throws IOException {
            try {
                while (readNext(doc)) {
                    // next range
                }
                // ranges nobody took are not needed (see readNext); complete them so that no wait can hang
                for (int j = Math.min(next.get(), results.size()); j < results.size(); j++) {
                    results.get(j).complete(null);
                }
                return join();
            } finally {
                cancelled.set(true);
            }
        }

        private List<PageLayer> join() throws IOException {
            List<PageLayer> layers = new ArrayList<>();
            long collected = 0;
            for (int i = 0; i < results.size(); i++) {
                PageTextCollector.Range range = await(results.get(i));
                if (range == null) {
                    // not needed, as decided from the ranges before it: the join has stopped before it
                    throw new IllegalStateException("PDF page range " + i + " was skipped but is needed");
                }
                for (PageLayer layer : range.layers()) {
                    layers.add(layer);
                    collected += layer.text().length();
                    if (collected > budget) {
                        return layers;
                    }
                }
                if (range.failure() instanceof IOException e) {
                    throw e;
                } else if (range.failure() != null) {
                    throw (RuntimeException) range.failure();
                }
                if (range.treeEnded()) {
                    return layers;
                }
                if (range.markedContentOpen() && i < results.size() - 1) {
                    return null;
                }
            }
            return layers;
        }

        private PageTextCollector.Range await(CompletableFuture<PageTextCollector.Range> result) throws IOException {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("Reading a PDF page range failed", e.getCause());
            }
        }
    }
}
