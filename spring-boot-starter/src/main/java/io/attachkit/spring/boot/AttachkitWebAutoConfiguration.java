package io.attachkit.spring.boot;

import io.attachkit.Attachments;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The optional endpoints in the application's own Spring MVC, on with {@code attachkit.web.enabled=true}:
 * {@code GET/HEAD {path-prefix}/files/**} (the standalone server's serving rules, shared code) and
 * {@code POST {path-prefix}/attachments} (the server's upload formats, limits and JSON). Runs before Spring Boot's
 * multipart configuration so that the upload endpoint streams its body (see
 * {@link UploadStreamingMultipartResolver}); an application that defines its own {@link MultipartResolver} keeps it.
 */
@AutoConfiguration(after = AttachkitAutoConfiguration.class,
        beforeName = "org.springframework.boot.servlet.autoconfigure.MultipartAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, JakartaServletFileUpload.class})
@ConditionalOnProperty(prefix = "attachkit.web", name = "enabled", havingValue = "true")
public class AttachkitWebAutoConfiguration {

    /** Creates the configuration; Spring calls this. */
    public AttachkitWebAutoConfiguration() {
    }

    @Bean
    FilesEndpoint attachkitFilesEndpoint(Attachments attachments, AttachkitProperties properties) {
        return new FilesEndpoint(attachments.store(), properties.getWeb().getPathPrefix());
    }

    @Bean
    AttachmentsEndpoint attachkitAttachmentsEndpoint(Attachments attachments, AttachkitProperties properties) {
        return new AttachmentsEndpoint(attachments, properties.getWeb());
    }

    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    @ConditionalOnMissingBean(MultipartResolver.class)
    @ConditionalOnProperty(prefix = "spring.servlet.multipart", name = "enabled", matchIfMissing = true)
    MultipartResolver attachkitMultipartResolver(AttachkitProperties properties, Environment environment) {
        UploadStreamingMultipartResolver resolver = new UploadStreamingMultipartResolver(properties.getWeb().getPathPrefix());
        // what Spring Boot's own resolver would take from spring.servlet.multipart.*
        resolver.setResolveLazily(environment.getProperty("spring.servlet.multipart.resolve-lazily", Boolean.class, false));
        resolver.setStrictServletCompliance(
                environment.getProperty("spring.servlet.multipart.strict-servlet-compliance", Boolean.class, false));
        return resolver;
    }
}
