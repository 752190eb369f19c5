package io.attachkit.spring.boot;

import io.attachkit.Attachments;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics for attachkit when the application has a {@link MeterRegistry}: saves, bytes and failures by
 * exception type ({@link MeteredFileStore}, put around the store {@link Attachments} saves through), processing time
 * per processor ({@link MicrometerProcessingListener}) and the depth of the background processing queue
 * ({@code attachkit.processing.queue.depth}, and {@code attachkit.processing.active} for jobs waiting or running).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class AttachkitMetricsAutoConfiguration {

    /** Creates the configuration; Spring calls this. */
    public AttachkitMetricsAutoConfiguration() {
    }

    /**
     * @param registry where the meters go
     * @return the layer that meters the store
     */
    @Bean
    public FileStoreDecorator attachkitStoreMetrics(MeterRegistry registry) {
        return store -> new MeteredFileStore(store, registry);
    }

    /**
     * @param registry where the meters go
     * @return the listener that times processor runs
     */
    @Bean
    public MicrometerProcessingListener attachkitProcessingMetrics(MeterRegistry registry) {
        return new MicrometerProcessingListener(registry);
    }

    /**
     * @param attachments the service whose queue is measured
     * @return the queue gauges, bound to every registry
     */
    @Bean
    public MeterBinder attachkitQueueMetrics(Attachments attachments) {
        return registry -> {
            Gauge.builder("attachkit.processing.queue.depth", attachments, Attachments::queueDepth)
                    .description("Background processing jobs waiting for a worker").register(registry);
            Gauge.builder("attachkit.processing.active", attachments, Attachments::activeJobs)
                    .description("Background processing jobs waiting or running").register(registry);
        };
    }
}
