package io.attachkit.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

/**
 * Spring's standard multipart resolver, except for {@code POST {path-prefix}/attachments}: that request is left
 * unparsed, so the endpoint streams its parts straight from the body under attachkit's limits, instead of the
 * container first writing every part to temporary files under {@code spring.servlet.multipart.*} limits. Every
 * other request of the application is resolved as Spring Boot's own resolver would.
 */
final class UploadStreamingMultipartResolver extends StandardServletMultipartResolver {
    private final String uploadPath;

    UploadStreamingMultipartResolver(String pathPrefix) {
        this.uploadPath = pathPrefix + "/attachments";
    }

    @Override
    public boolean isMultipart(HttpServletRequest request) {
        if ("POST".equals(request.getMethod())
                && request.getRequestURI().equals(request.getContextPath() + uploadPath)) {
            return false;
        }
        return super.isMultipart(request);
    }
}
