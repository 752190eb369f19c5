package io.attachkit.docs;

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

/**
 * Compiles a page's Java block against this module's test classpath (every attachkit module). A block is
 * either a whole compilation unit (it declares a type at the top level) or statements, compiled as the body
 * of a method. The marker comment just above the block may add {@code imports: a.b.C a.b.*} and
 * {@code context: <field declarations>} (the variables the statements use), each on its own line or
 * separated by {@code |}; {@code skip: <reason>} leaves a block uncompiled (elided bodies, other languages' types).
 */
final class JavaSnippets {
    static final List<String> DEFAULT_IMPORTS = List.of(
            "io.attachkit.*", "io.attachkit.ingest.*", "io.attachkit.serving.*", "io.attachkit.storage.local.*",
            "io.attachkit.storage.s3.*", "io.attachkit.processors.*", "io.attachkit.server.*",
            "java.io.*", "java.net.URI", "java.nio.file.Path", "java.nio.file.Files", "java.time.*", "java.util.List",
            "java.util.Map", "java.util.Set", "java.util.concurrent.CompletableFuture");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:@\\w+\\s+)*(?:public\\s+|final\\s+|abstract\\s+)*(class|interface|record|enum)\\s+(\\w+)", Pattern.MULTILINE);

    private JavaSnippets() {
    }

    /** @return the reason the marker gives for not compiling the block, or null to compile it */
    static String skipReason(String marker) {
        for (String part : parts(marker)) {
            if (part.startsWith("skip:")) {
                return part.substring("skip:".length()).trim();
            }
        }
        return null;
    }

    /** @return "" when the block compiles, else the compiler's report and the source it compiled */
    static String compile(MarkdownPage.Block block, Path out) throws IOException {
        List<String> imports = new ArrayList<>(DEFAULT_IMPORTS);
        StringBuilder context = new StringBuilder();
        for (String part : parts(block.marker())) {
            if (part.startsWith("imports:")) {
                imports.addAll(List.of(part.substring("imports:".length()).trim().split("[\\s,]+")));
            } else if (part.startsWith("context:")) {
                context.append(part.substring("context:".length()).trim()).append('\n');
            }
        }
        StringBuilder head = new StringBuilder();
        String body = block.body();
        // a block's own import lines go to the top of the unit
        StringBuilder rest = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("import ")) {
                head.append(line).append('\n');
            } else {
                rest.append(line).append('\n');
            }
        }
        for (String i : imports) {
            head.append("import ").append(i).append(";\n");
        }
        Matcher type = TOP_LEVEL_TYPE.matcher(rest);
        String source;
        String unitName;
        if (type.find()) {
            // a whole unit: its types, plus a holder for the context declarations
            unitName = "SnippetUnit";
            source = head + rest.toString().replaceAll("(?m)^public\\s+(?=(final\\s+|abstract\\s+)*(class|interface|record|enum))", "")
                    + "\nclass SnippetUnit {\n" + context + "}\n";
        } else {
            unitName = "Snippet";
            source = head + "\nclass Snippet {\n" + context + "\nvoid run() throws Exception {\n" + rest + "\n}\n}\n";
        }
        return javac(unitName, source, out);
    }

    private static String javac(String name, String source, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Files.createDirectories(out);
        StringWriter report = new StringWriter();
        boolean ok = javac.getTask(report, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-proc:none", "-Xlint:none"),
                null, List.of(file)).call();
        return ok ? "" : report + "\n--- source ---\n" + source;
    }

    private static List<String> parts(String marker) {
        List<String> parts = new ArrayList<>();
        for (String p : marker.split("\\||\n")) {
            if (!p.isBlank()) {
                parts.add(p.trim());
            }
        }
        return parts;
    }
}
