package io.attachkit.spring.boot;

import io.attachkit.ProcessingListener;
import io.attachkit.ProcessingStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Times every processor run in Micrometer as {@code attachkit.processing} (tags {@code processor} and
 * {@code outcome}, {@code done} or {@code failed}); results read from the store or a cache are not runs and are not
 * timed. Thread-safe.
 */
public final class MicrometerProcessingListener implements ProcessingListener {
    private final MeterRegistry registry;

    /** @param registry where the timers go */
    public MicrometerProcessingListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void progress(String filename, String stage, long done, long total) {
        // progress is for progress bars; the run's time is recorded once it ends
    }

    @Override
    public void processed(String filename, String processor, ProcessingStatus outcome, long tookMillis) {
        Timer.builder("attachkit.processing").description("Time a processor ran on one file")
                .tag("processor", processor).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry).record(tookMillis, TimeUnit.MILLISECONDS);
    }
}
