/**
 * The rules for serving a stored file over HTTP, independent of any HTTP engine: method and path checks, the
 * response headers (type, length, ETag, Last-Modified, nosniff, a sandboxing CSP, RFC 6266 names, active types as
 * downloads), conditional requests (304) and single byte ranges (206, 416, If-Range). An engine adapter hands
 * {@link io.attachkit.serving.FileServing} a {@link io.attachkit.serving.ServingRequest} and writes the
 * {@link io.attachkit.serving.ServingResponse} it gets back, so the standalone server and the Spring Boot
 * endpoints serve files the same way.
 */
package io.attachkit.serving;
