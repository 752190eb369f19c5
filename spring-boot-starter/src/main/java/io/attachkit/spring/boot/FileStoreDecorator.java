package io.attachkit.spring.boot;

import io.attachkit.FileStore;

/**
 * Wraps the {@link FileStore} that the auto-configured {@link io.attachkit.Attachments} saves through, as a layer
 * (metrics, retries, caching) around any backend. Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order} order, the first innermost; the {@code FileStore} bean itself
 * stays as it is.
 *
 * <pre>{@code
 * @Bean
 * FileStoreDecorator caching() {
 *     return store -> CachingFileStore.builder(store).build();
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FileStoreDecorator {
    /**
     * @param store the store to wrap
     * @return the wrapping store (or {@code store} itself)
     */
    FileStore decorate(FileStore store);
}
