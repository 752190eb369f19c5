package io.attachkit.spring.boot;

import io.attachkit.FileStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code attachkit} health indicator ({@link FileStoreHealthIndicator}) when Spring Boot's health support is on
 * the classpath; {@code management.health.attachkit.enabled=false} turns it off.
 */
@AutoConfiguration(after = AttachkitAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(FileStore.class)
@ConditionalOnEnabledHealthIndicator("attachkit")
public class AttachkitHealthAutoConfiguration {

    /** Creates the configuration; Spring calls this. */
    public AttachkitHealthAutoConfiguration() {
    }

    /**
     * @param store the store to check
     * @return the indicator, shown as {@code attachkit} under {@code /actuator/health}
     */
    @Bean
    @ConditionalOnMissingBean(name = "attachkitHealthIndicator")
    public FileStoreHealthIndicator attachkitHealthIndicator(FileStore store) {
        return new FileStoreHealthIndicator(store);
    }
}
