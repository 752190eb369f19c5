package io.attachkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.server.cli.AttachkitCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The pages under {@code docs/}, README.md and FUZZING.md say what the code does: every Java block compiles
 * (unless its marker says why not), every relative link leads to a file and heading that exist, every
 * {@code attachkit} command line names a real subcommand with real options, and every benchmark class and
 * Maven module a command names exists.
 */
class DocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CLI_LINE = Pattern.compile("^\\s*(?:\\$\\s+)?(?:\\./)?attachkit\\s+([a-z]+)(.*)$");
    private static final Pattern OPTION = Pattern.compile("(?<=\\s)(--?[a-zA-Z][\\w-]*)");
    private static final Pattern MAIN_CLASS = Pattern.compile("\\b(io\\.attachkit\\.benchmarks\\.[\\w.]+\\.[A-Z]\\w+)");
    private static final Pattern MODULES = Pattern.compile("\\s-pl\\s+(\\S+)");

    @TempDir
    Path out;

    static List<MarkdownPage> pages() throws IOException {
        List<Path> paths = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("FUZZING.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(paths::add);
        }
        List<MarkdownPage> pages = new ArrayList<>();
        for (Path p : paths) {
            pages.add(MarkdownPage.read(p));
        }
        return pages;
    }

    @Test
    void everyConcernHasItsPage() {
        for (String page : List.of("attachments", "storage", "s3", "plugins", "processors", "server", "security", "spring-boot", "ai", "benchmarks")) {
            assertThat(ROOT.resolve("docs/" + page + ".md")).as("docs/%s.md", page).isRegularFile();
        }
    }

    @TestFactory
    Stream<DynamicTest> javaBlocksCompile() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (MarkdownPage page : pages()) {
            for (MarkdownPage.Block block : page.blocks) {
                if (!block.language().equals("java") || JavaSnippets.skipReason(block.marker()) != null) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(block.where(page.path), () ->
                        assertThat(JavaSnippets.compile(block, out.resolve("b" + tests.size()))).as(block.where(page.path)).isEmpty()));
            }
        }
        assertThat(tests).as("Java blocks to compile").hasSizeGreaterThan(10);
        return tests.stream();
    }

    @Test
    void skippedJavaBlocksSayWhy() throws IOException {
        for (MarkdownPage page : pages()) {
            for (MarkdownPage.Block block : page.blocks) {
                String reason = JavaSnippets.skipReason(block.marker());
                if (reason != null) {
                    assertThat(reason).as("reason for skipping %s", block.where(page.path)).hasSizeGreaterThan(10);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> linksResolve() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (MarkdownPage page : pages()) {
            for (String link : page.links) {
                if (link.matches("^[a-z]+:.*")) {
                    continue;   // http(s), mailto: not checked offline
                }
                tests.add(DynamicTest.dynamicTest(page.path.getFileName() + " -> " + link, () -> {
                    int hash = link.indexOf('#');
                    String file = hash < 0 ? link : link.substring(0, hash);
                    Path target = file.isEmpty() ? page.path : page.path.getParent().resolve(file).normalize();
                    assertThat(target).as("%s links to %s", page.path.getFileName(), link).exists();
                    if (hash >= 0) {
                        assertThat(MarkdownPage.read(target).anchors).as("headings of %s", target.getFileName())
                                .contains(link.substring(hash + 1));
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> commandsExist() throws IOException {
        CommandLine cli = new CommandLine(new AttachkitCommand());
        List<DynamicTest> tests = new ArrayList<>();
        for (MarkdownPage page : pages()) {
            for (MarkdownPage.Block block : page.blocks) {
                if (!List.of("sh", "bash", "shell", "").contains(block.language())) {
                    continue;
                }
                for (String line : block.body().split("\n")) {
                    String command = line.replaceAll("\\s#.*$", "");
                    Matcher m = CLI_LINE.matcher(command);
                    if (m.matches()) {
                        tests.add(DynamicTest.dynamicTest(block.where(page.path) + ": " + command.trim(), () -> {
                            CommandLine sub = cli.getSubcommands().get(m.group(1));
                            assertThat(sub).as("attachkit subcommand '%s' (%s)", m.group(1), block.where(page.path)).isNotNull();
                            Matcher o = OPTION.matcher(m.group(2));
                            while (o.find()) {
                                assertThat(sub.getCommandSpec().findOption(o.group(1)))
                                        .as("option %s of 'attachkit %s' (%s)", o.group(1), m.group(1), block.where(page.path)).isNotNull();
                            }
                        }));
                    }
                    Matcher main = MAIN_CLASS.matcher(command);
                    while (main.find()) {
                        String cls = main.group(1);
                        tests.add(DynamicTest.dynamicTest(block.where(page.path) + ": " + cls, () -> assertThat(
                                ROOT.resolve("benchmarks/src/main/java/" + cls.replace('.', '/') + ".java"))
                                .as("benchmark class %s (%s)", cls, block.where(page.path)).isRegularFile()));
                    }
                    Matcher pl = MODULES.matcher(command);
                    while (pl.find()) {
                        for (String module : pl.group(1).split(",")) {
                            tests.add(DynamicTest.dynamicTest(block.where(page.path) + ": -pl " + module, () -> assertThat(
                                    ROOT.resolve(module).resolve("pom.xml")).as("module %s (%s)", module, block.where(page.path)).isRegularFile()));
                        }
                    }
                }
            }
        }
        assertThat(tests).as("commands to check").hasSizeGreaterThan(10);
        return tests.stream();
    }
}
