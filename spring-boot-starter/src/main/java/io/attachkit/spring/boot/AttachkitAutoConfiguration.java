package io.attachkit.spring.boot;

import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.FileStores;
import io.attachkit.ProcessingLimits;
import io.attachkit.ProcessingListener;
import io.attachkit.ProcessingStatus;
import io.attachkit.StorageLimits;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures attachkit from {@link AttachkitProperties}: {@link StorageLimits}, {@link ProcessingLimits}, the
 * {@link FileStore} ({@code attachkit.store}, opened with {@link FileStores#open(String, StorageLimits)}) and
 * {@link Attachments} (processors found on the classpath). Each bean backs off when the application defines its own.
 * The store and the {@code Attachments} are closed with the context (Spring's inferred {@code close()}).
 */
@AutoConfiguration
@EnableConfigurationProperties(AttachkitProperties.class)
public class AttachkitAutoConfiguration {

    /** Creates the configuration; Spring calls this. */
    public AttachkitAutoConfiguration() {
    }

    /**
     * @param properties the bound properties
     * @return the storage limits: {@code attachkit.storage.*}, else the {@code ATTACHKIT_*} environment variables the
     *     rest of attachkit reads, else the defaults
     */
    @Bean
    @ConditionalOnMissingBean
    public StorageLimits attachkitStorageLimits(AttachkitProperties properties) {
        AttachkitProperties.Storage s = properties.getStorage();
        StorageLimits.Builder b = StorageLimits.builder();
        if (s.getMaxFileSize() != null) {
            b.maxFileSize(s.getMaxFileSize().toBytes());
        }
        if (s.getMaxStorageSize() != null) {
            b.maxStorageSize(s.getMaxStorageSize().toBytes());
        }
        if (!s.getAllowedMimeTypes().isEmpty()) {
            b.allowedMimeTypes(new LinkedHashSet<>(s.getAllowedMimeTypes()));
        }
        return b.build();
    }

    /**
     * @param properties the bound properties
     * @return the processing limits: {@code attachkit.processing.*}, else the defaults
     */
    @Bean
    @ConditionalOnMissingBean
    public ProcessingLimits attachkitProcessingLimits(AttachkitProperties properties) {
        AttachkitProperties.Processing p = properties.getProcessing();
        ProcessingLimits.Builder b = ProcessingLimits.builder();
        if (p.getMaxPages() != null) {
            b.maxPages(p.getMaxPages());
        }
        if (p.getMaxImagePixels() != null) {
            b.maxImagePixels(p.getMaxImagePixels());
        }
        if (p.getMaxOutputChars() != null) {
            b.maxOutputChars(p.getMaxOutputChars());
        }
        if (p.getTimeout() != null) {
            b.timeout(p.getTimeout());
        }
        return b.build();
    }

    /**
     * @param properties the bound properties
     * @param limits the storage limits the store enforces
     * @return the store named by {@code attachkit.store}
     * @throws IllegalArgumentException if the URI is malformed or no backend on the classpath handles its scheme
     */
    @Bean
    @ConditionalOnMissingBean
    public FileStore attachkitFileStore(AttachkitProperties properties, StorageLimits limits) {
        return FileStores.open(properties.getStore(), limits);
    }

    /**
     * @param properties the bound properties
     * @param store the store to save to
     * @param limits the processing limits
     * @param decorators layers put around the store (metrics, for one), in order
     * @param listeners told of every processor run (metrics, for one)
     * @return the attachments service
     */
    @Bean
    @ConditionalOnMissingBean
    public Attachments attachments(AttachkitProperties properties, FileStore store, ProcessingLimits limits,
            ObjectProvider<FileStoreDecorator> decorators, ObjectProvider<ProcessingListener> listeners) {
        FileStore layered = store;
        for (FileStoreDecorator d : decorators.orderedStream().toList()) {
            layered = d.decorate(layered);
        }
        Attachments.Builder b = Attachments.builder()
                .store(layered)
                .processingLimits(limits)
                .listener(allOf(listeners.orderedStream().toList()));
        AttachkitProperties.Processing p = properties.getProcessing();
        if (p.getWorkers() != null) {
            b.workers(p.getWorkers());
        }
        if (p.getMaxQueuedJobs() != null) {
            b.maxQueuedJobs(p.getMaxQueuedJobs());
        }
        return b.build();
    }

    private static ProcessingListener allOf(List<ProcessingListener> listeners) {
        if (listeners.isEmpty()) {
            return ProcessingListener.NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        return new ProcessingListener() {
            @Override
            public void progress(String filename, String stage, long done, long total) {
                listeners.forEach(l -> l.progress(filename, stage, done, total));
            }

            @Override
            public void processed(String filename, String processor, ProcessingStatus outcome, long tookMillis) {
                listeners.forEach(l -> l.processed(filename, processor, outcome, tookMillis));
            }
        };
    }
}
