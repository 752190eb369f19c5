package io.attachkit.spring.boot;

import org.springframework.boot.test.context.SpringBootTest;

/** The endpoints contract over a local store under the build directory. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "attachkit.store=file:target/spring-test-store",
        "attachkit.web.enabled=true",
        "attachkit.web.path-prefix=/api",
        EndpointsContract.LIMIT_PROPERTIES_JSON,
        EndpointsContract.LIMIT_PROPERTIES_BODY,
        "management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always"})
class LocalStoreEndpointsTest extends EndpointsContract {
    @Override
    String backend() {
        return "local";
    }
}
