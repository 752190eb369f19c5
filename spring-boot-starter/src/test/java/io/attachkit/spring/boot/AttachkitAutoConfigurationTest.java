package io.attachkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.FileStores;
import io.attachkit.ForwardingFileStore;
import io.attachkit.ProcessingLimits;
import io.attachkit.StorageLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration without a server: what the properties bind to, and which beans back off. */
class AttachkitAutoConfigurationTest {
    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AttachkitAutoConfiguration.class))
                .withPropertyValues("attachkit.store=file:" + dir.resolve("store").toAbsolutePath().toUri().getPath());
    }

    @Test
    void applicationProperties_bindToTheLimitsTheStoreAndAttachments() {
        runner().withPropertyValues(
                "attachkit.storage.max-file-size=3MB",
                "attachkit.storage.max-storage-size=1GB",
                "attachkit.storage.allowed-mime-types=text/plain,application/pdf",
                "attachkit.processing.max-pages=7",
                "attachkit.processing.max-image-pixels=4000000",
                "attachkit.processing.max-output-chars=5000",
                "attachkit.processing.timeout=15s",
                "attachkit.processing.workers=2",
                "attachkit.processing.max-queued-jobs=33").run(context -> {
                    assertThat(context).hasNotFailed();
                    StorageLimits storage = context.getBean(StorageLimits.class);
                    assertThat(storage.maxFileSize()).isEqualTo(3L * 1024 * 1024);
                    assertThat(storage.maxStorageSize()).isEqualTo(1024L * 1024 * 1024);
                    assertThat(storage.allowedMimeTypes()).containsExactlyInAnyOrder("text/plain", "application/pdf");
                    ProcessingLimits processing = context.getBean(ProcessingLimits.class);
                    assertThat(processing.maxPages()).isEqualTo(7);
                    assertThat(processing.maxImagePixels()).isEqualTo(4_000_000L);
                    assertThat(processing.maxOutputChars()).isEqualTo(5000);
                    assertThat(processing.timeout()).isEqualTo(Duration.ofSeconds(15));

                    Attachments attachments = context.getBean(Attachments.class);
                    assertThat(attachments.store()).isSameAs(context.getBean(FileStore.class));
                    assertThat(attachments.processingLimits()).isSameAs(processing);
                    assertThat(attachments.store().backendName()).isEqualTo("local");
                    // the limits are in force: a type outside the list is refused, an allowed one is stored and processed
                    Attachment ok = attachments.storeAndProcess(Attachment.fromBytes("a.txt",
                            "bound from application properties".getBytes(StandardCharsets.UTF_8), null));
                    assertThat(ok.processedContent().text()).isEqualTo("bound from application properties");
                    assertThat(Files.exists(dir.resolve("store"))).isTrue();
                    Attachment html = Attachment.fromBytes("p.html", "<html><body>x</body></html>".getBytes(StandardCharsets.UTF_8), null);
                    try {
                        attachments.storeAndProcess(html);
                    } catch (RuntimeException expected) {
                        // refused
                    }
                    assertThat(html.status().name()).isEqualTo("FAILED");
                });
    }

    @Test
    void withoutProperties_theStoreIsLocalUnderTheWorkingDirectory_andTheLimitsAreTheDefaults() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AttachkitAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AttachkitProperties.class).getStore()).isEqualTo("file:attachkit-data");
                    assertThat(context.getBean(FileStore.class).backendName()).isEqualTo("local");
                    assertThat(context.getBean(ProcessingLimits.class).maxPages()).isEqualTo(ProcessingLimits.defaults().maxPages());
                    assertThat(context.getBean(StorageLimits.class).maxFileSize()).isEqualTo(StorageLimits.DEFAULT_MAX_FILE_SIZE);
                });
    }

    @Test
    void aStoreUriWithoutABackend_failsTheStartupWithTheSchemesOnTheClasspath() {
        runner().withPropertyValues("attachkit.store=gcs://bucket/x").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("No storage backend for scheme 'gcs'").hasMessageContaining("file");
        });
    }

    @Test
    void aPathPrefixThatIsNotAPath_failsTheStartupNamingTheProperty() {
        runner().withPropertyValues("attachkit.web.path-prefix=api/").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("attachkit.web.path-prefix");
        });
    }

    /** The application's own store, which also records that Spring closed it with the context. */
    static final class OwnStore extends ForwardingFileStore {
        final AtomicBoolean closed = new AtomicBoolean();

        OwnStore(FileStore delegate) {
            super(delegate);
        }

        @Override
        public void close() {
            closed.set(true);
            super.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        FileStore myStore(@org.springframework.beans.factory.annotation.Value("${test.dir}") String dir) {
            return new OwnStore(FileStores.open(Path.of(dir).toUri().toString(), StorageLimits.defaults()));
        }

        @Bean
        StorageLimits myLimits() {
            return StorageLimits.builder(Map.of()).maxFileSize(1234).allowedMimeTypes(Set.of("text/plain")).build();
        }
    }

    @Test
    void theApplicationsOwnBeans_replaceTheAutoConfiguredOnes_andTheStoreIsClosedWithTheContext() {
        OwnStore[] seen = new OwnStore[1];
        runner().withUserConfiguration(OwnBeans.class)
                .withPropertyValues("test.dir=" + dir.resolve("own").toAbsolutePath(), "attachkit.storage.max-file-size=9MB")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(FileStore.class).hasSingleBean(StorageLimits.class);
                    seen[0] = (OwnStore) context.getBean(FileStore.class);
                    assertThat(context.getBean(Attachments.class).store()).isSameAs(seen[0]);
                    assertThat(context.getBean(StorageLimits.class).maxFileSize()).isEqualTo(1234);
                    assertThat(seen[0].closed).isFalse();
                });
        assertThat(seen[0].closed).as("closed on context shutdown").isTrue();
    }

    @Test
    void theApplicationsOwnAttachments_replacesTheAutoConfiguredOne() {
        runner().withBean("mine", Attachments.class,
                () -> Attachments.builder().store(FileStores.open(dir.resolve("mine").toUri().toString(), StorageLimits.defaults())).build())
                .run(context -> {
                    assertThat(context).hasSingleBean(Attachments.class);
                    assertThat(context).getBean("mine").isSameAs(context.getBean(Attachments.class));
                });
    }

    @Test
    void theWebEndpoints_areOffUnlessEnabled() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AttachkitAutoConfiguration.class, AttachkitWebAutoConfiguration.class))
                .withPropertyValues("attachkit.store=file:" + dir.resolve("web").toAbsolutePath().toUri().getPath());
        web.run(context -> assertThat(context).doesNotHaveBean(FilesEndpoint.class).doesNotHaveBean(AttachmentsEndpoint.class));
        web.withPropertyValues("attachkit.web.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(FilesEndpoint.class).hasSingleBean(AttachmentsEndpoint.class));
    }
}
