package io.attachkit.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The smallest Spring Boot application: attachkit comes from the starter's auto-configuration alone. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApp {
}
