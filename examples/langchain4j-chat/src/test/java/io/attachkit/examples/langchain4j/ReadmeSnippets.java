package io.attachkit.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Compiles the Java snippets of a README section against this module's test classpath. */
final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    /** The ```java blocks between the heading that starts with {@code section} and the next {@code ## } heading. */
    static List<String> javaBlocks(Path readme, String section) throws IOException {
        String text = Files.readString(readme);
        int start = text.indexOf("\n" + section);
        assertThat(start).as("README section " + section).isGreaterThanOrEqualTo(0);
        int end = text.indexOf("\n## ", start + 1);
        String body = text.substring(start, end < 0 ? text.length() : end);
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(body);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Compiles {@code imports + class Snippet { void run(context) { block } }}; returns the compiler's report. */
    static String compile(String imports, String context, String block, Path out) throws IOException {
        String source = imports + "\nclass Snippet {\n" + context + "\nvoid run() throws Exception {\n" + block + "\n}\n}\n";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Files.createDirectories(out);
        StringWriter report = new StringWriter();
        boolean ok = javac.getTask(report, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none"), null, List.of(file)).call();
        return ok ? "" : report + "\n--- source ---\n" + source;
    }
}
