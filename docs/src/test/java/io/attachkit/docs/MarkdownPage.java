package io.attachkit.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Markdown page read into what the checks need: its fenced blocks, its links and its heading anchors. */
final class MarkdownPage {
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) (.+)$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern MARKER = Pattern.compile("^<!--\\s*snippet\\b(.*?)-->\\s*$", Pattern.DOTALL);

    /** A fenced code block: its language, first line (1-based), body, and the {@code <!-- snippet ... -->} marker before it. */
    record Block(String language, int line, String body, String marker) {
        /** Where the block is, for messages. */
        String where(Path page) {
            return page.getFileName() + ":" + line;
        }
    }

    final Path path;
    final List<Block> blocks = new ArrayList<>();
    final List<String> links = new ArrayList<>();
    final Set<String> anchors = new LinkedHashSet<>();

    private MarkdownPage(Path path) {
        this.path = path;
    }

    static MarkdownPage read(Path path) throws IOException {
        MarkdownPage page = new MarkdownPage(path);
        List<String> lines = Files.readAllLines(path);
        String language = null;
        int start = 0;
        StringBuilder body = new StringBuilder();
        String marker = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (language == null && fence.matches()) {
                language = fence.group(1);
                start = i + 1;
                body.setLength(0);
                marker = markerBefore(lines, i);
            } else if (language != null && line.startsWith("```")) {
                page.blocks.add(new Block(language, start + 1, body.toString(), marker));
                language = null;
            } else if (language != null) {
                body.append(line).append('\n');
            } else {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    page.anchors.add(anchor(heading.group(2)));
                }
                Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                while (link.find()) {
                    page.links.add(link.group(1));
                }
            }
        }
        return page;
    }

    /** The marker comment on the line just above a fence (blank lines between are not allowed: it belongs to the block). */
    private static String markerBefore(List<String> lines, int fenceIndex) {
        if (fenceIndex == 0) {
            return "";
        }
        Matcher m = MARKER.matcher(lines.get(fenceIndex - 1).trim());
        return m.matches() ? m.group(1).trim() : "";
    }

    /** GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
    static String anchor(String heading) {
        String plain = heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "");
        return plain.trim().replace(' ', '-');
    }
}
