/**
 * attachkit for Spring Boot: auto-configuration of the {@link io.attachkit.FileStore}, the limits and
 * {@link io.attachkit.Attachments} from {@code application.yml} ({@link io.attachkit.spring.boot.AttachkitProperties}),
 * optional {@code /files/**} and {@code /attachments} endpoints in the application's Spring MVC, an Actuator health
 * indicator for the store, and Micrometer metrics. Every bean backs off when the application defines its own.
 */
package io.attachkit.spring.boot;
