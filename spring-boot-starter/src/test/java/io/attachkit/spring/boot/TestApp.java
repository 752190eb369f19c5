package io.attachkit.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The smallest Spring Boot application: attachkit comes from the starter's auto-configuration alone. It has one
 * upload endpoint of its own, to show that Spring's multipart handling still works for the application's paths.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestApp.OwnUpload.class)
class TestApp {

    /** An application controller taking a file the ordinary Spring way. */
    @RestController
    static class OwnUpload {
        @PostMapping("/app/upload")
        String upload(@RequestParam("file") MultipartFile file) {
            return file.getOriginalFilename() + ":" + file.getSize();
        }
    }
}
