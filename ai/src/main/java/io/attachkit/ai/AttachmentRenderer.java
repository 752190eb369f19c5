package io.attachkit.ai;

import io.attachkit.Attachment;
import io.attachkit.AttachmentException;
import io.attachkit.FileStore;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders attachments as chat message parts for one model, within a token budget: images and PDFs
 * natively where the model accepts them ({@link ModelCapabilities}), everything else as its extracted
 * text under a header that names the file.
 *
 * <p>Attachments are taken in order. Each goes natively when the model accepts its type, its size is
 * within the model's limit and its estimated tokens fit what is left of the budget; otherwise as text.
 * Text that does not fit is cut at the longest prefix that does (the part says where it was cut); an
 * attachment for which nothing fits is omitted. Every cut, omission and fallback is reported in
 * {@link RenderedContent#notes()} and in a closing text part for the model. The budget covers the
 * attachments' parts, not the caller's own prompt and not the closing note.
 *
 * <p>Native content is read from the store through a stream that stops one byte past the model's limit,
 * so a file larger than the model accepts is never read into memory (the attachment's recorded size is
 * checked first, the stream bounds the rest).
 *
 * <pre>{@code
 * AttachmentRenderer renderer = AttachmentRenderer.builder()
 *         .store(store)
 *         .capabilities(ModelCapabilities.anthropic())
 *         .tokenBudget(8_000)
 *         .build();
 * RenderedContent content = renderer.render(List.of(pdf, photo));
 * content.notes();   // e.g. "report.pdf: cut to the first 20000 of 51234 characters (pages kept whole: 9 of 25) ..."
 * }</pre>
 *
 * <p>Immutable and thread-safe; the framework adapters wrap one.
 */
public final class AttachmentRenderer {
    private static final Logger log = LoggerFactory.getLogger(AttachmentRenderer.class);

    private final FileStore store;
    private final ModelCapabilities capabilities;
    private final int tokenBudget;
    private final TokenEstimator estimator;

    AttachmentRenderer(RendererSettings<?> b) {
        this.store = b.store;
        this.capabilities = b.capabilities;
        this.tokenBudget = b.tokenBudget;
        this.estimator = b.estimator;
    }

    /** @return a builder; {@link Builder#store(FileStore)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the model description used */
    public ModelCapabilities capabilities() {
        return capabilities;
    }

    /** @return the token budget for all attachments of one {@link #render(List)} call */
    public int tokenBudget() {
        return tokenBudget;
    }

    /** @return the token estimator used */
    public TokenEstimator estimator() {
        return estimator;
    }

    /**
     * @param attachments the attachments, stored (native content is read from the store) and processed
     *        (text fallbacks use {@code processed_content})
     * @return the parts and notes
     * @throws ProcessingException if an attachment must go as text but was not processed, or processing left no text
     * @throws AttachmentException if reading a file from the store fails (a {@link StorageException} or subclass)
     */
    public RenderedContent render(List<Attachment> attachments) {
        Objects.requireNonNull(attachments, "attachments");
        List<ContentPart> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int used = 0;
        for (Attachment a : attachments) {
            used += renderOne(Objects.requireNonNull(a, "attachment"), tokenBudget - used, parts, notes);
        }
        if (!notes.isEmpty()) {
            parts.add(new ContentPart.Text("[Note from attachkit: " + String.join(" ", notes) + "]"));
        }
        return new RenderedContent(parts, notes, used, tokenBudget);
    }

    /** Renders one attachment into {@code parts}; returns the tokens it used. */
    private int renderOne(Attachment a, int remaining, List<ContentPart> parts, List<String> notes) {
        String mime = a.mimeType() == null ? null : ModelCapabilities.baseType(a.mimeType());
        ProcessedContent pc = a.processedContent() == null ? ProcessedContent.empty() : a.processedContent();
        String fallbackReason = null;
        if (mime != null && mime.startsWith("image/") && !capabilities.imageTypes().isEmpty()) {
            if (!capabilities.acceptsImage(mime)) {
                fallbackReason = capabilities.name() + " takes images of type " + capabilities.imageTypes() + " only";
            } else {
                String header = "[Attached image: " + a.filename() + " (" + mime + ")]";
                int cost = estimator.estimate(header) + capabilities.tokensPerImage();
                fallbackReason = tryNative(a, capabilities.maxImageBytes(), "image", cost, remaining);
                if (fallbackReason == null) {
                    String base64 = readBase64(a, capabilities.maxImageBytes());
                    if (base64 != null) {
                        parts.add(new ContentPart.Text(header));
                        parts.add(new ContentPart.Image(mime, base64, a.filename()));
                        return cost;
                    }
                    fallbackReason = tooLarge(capabilities.maxImageBytes(), "image");
                }
            }
        } else if ("application/pdf".equals(mime) && capabilities.acceptsPdf()) {
            int pages = pc.get("pages") instanceof Number n ? Math.max(1, n.intValue()) : 1;
            String header = "[Attached PDF: " + a.filename() + " (" + pages + (pages == 1 ? " page" : " pages") + ")]";
            int cost = estimator.estimate(header) + pages * capabilities.tokensPerPdfPage()
                    + (pc.text() == null ? 0 : estimator.estimate(pc.text()));
            fallbackReason = pages > capabilities.maxPdfPages()
                    ? "its " + pages + " pages exceed the " + capabilities.maxPdfPages() + "-page PDF limit of " + capabilities.name()
                    : tryNative(a, capabilities.maxPdfBytes(), "PDF", cost, remaining);
            if (fallbackReason == null) {
                String base64 = readBase64(a, capabilities.maxPdfBytes());
                if (base64 != null) {
                    parts.add(new ContentPart.Text(header));
                    parts.add(new ContentPart.Pdf(base64, a.filename()));
                    return cost;
                }
                fallbackReason = tooLarge(capabilities.maxPdfBytes(), "PDF");
            }
        }
        return renderText(a, mime, pc, remaining, fallbackReason, parts, notes);
    }

    /** Why the file cannot go natively, or {@code null} if it may (size still bounded while reading). */
    private String tryNative(Attachment a, long maxBytes, String what, int cost, int remaining) {
        if (a.size() > maxBytes) {
            return tooLarge(maxBytes, what);
        }
        if (cost > remaining) {
            return "as a native " + what + " it would take about " + cost + " tokens and " + Math.max(0, remaining) + " were left";
        }
        return null;
    }

    private String tooLarge(long maxBytes, String what) {
        return "it is larger than the " + maxBytes + "-byte " + what + " limit of " + capabilities.name();
    }

    private int renderText(Attachment a, String mime, ProcessedContent pc, int remaining, String fallbackReason,
            List<ContentPart> parts, List<String> notes) {
        String body = pc.text();
        boolean fromText = body != null && !body.isBlank();
        if (!fromText) {
            body = pc.overview();
        }
        if (body == null || body.isBlank()) {
            if (pc.type() == null && pc.error() == null) {
                throw new ProcessingException("Attachment '" + a.filename() + "' must go to " + capabilities.name()
                        + " as text but has no processed content: process it first (Attachments.storeAndProcess or process)");
            }
            throw new ProcessingException("Attachment '" + a.filename() + "' must go to " + capabilities.name()
                    + " as text but processing left no text" + (pc.error() != null ? ": " + pc.error() : ""));
        }
        String header = textHeader(a, mime, pc);
        String sentAsText = fallbackReason == null ? "" : " Sent as text because " + fallbackReason + ".";
        String whole = header + body;
        int cost = estimator.estimate(whole);
        if (cost <= remaining) {
            parts.add(new ContentPart.Text(whole));
            if (!sentAsText.isEmpty()) {
                notes.add(a.filename() + ":" + sentAsText);
            }
            return cost;
        }
        int kept = longestFittingPrefix(header, body, remaining);
        if (kept == 0) {
            notes.add(a.filename() + ": omitted: the token budget of " + tokenBudget + " was used up (it needs about "
                    + cost + " tokens)." + sentAsText);
            log.debug("Omitted {} from the message for {}: {} tokens needed, {} left", a.filename(), capabilities.name(), cost, remaining);
            return 0;
        }
        String cutText = header + body.substring(0, kept) + marker(kept, body.length());
        parts.add(new ContentPart.Text(cutText));
        notes.add(a.filename() + ": cut to the first " + kept + " of " + body.length() + " characters"
                + (fromText ? spansKept(pc, kept) : "") + " to fit the token budget of " + tokenBudget + "." + sentAsText);
        return estimator.estimate(cutText);
    }

    private static String textHeader(Attachment a, String mime, ProcessedContent pc) {
        StringBuilder h = new StringBuilder("--- Attachment: ").append(a.filename());
        List<String> facts = new ArrayList<>();
        if (mime != null) {
            facts.add(mime);
        }
        if (pc.get("pages") instanceof Number n) {
            facts.add(n + (n.intValue() == 1 ? " page" : " pages"));
        }
        if (pc.get("row_count") instanceof Number n) {
            facts.add(n + (n.intValue() == 1 ? " row" : " rows"));
        }
        if (!facts.isEmpty()) {
            h.append(" (").append(String.join(", ", facts)).append(')');
        }
        return h.append(" ---\n").toString();
    }

    /** The longest prefix of {@code body} (cut between code points, preferably at a space) that fits. */
    private int longestFittingPrefix(String header, String body, int remaining) {
        int lo = 0;
        int hi = body.length();
        while (lo < hi) {
            int mid = (int) (((long) lo + hi + 1) / 2);
            if (estimator.estimate(header + body.substring(0, mid) + marker(mid, body.length())) <= remaining) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int kept = lo;
        if (kept > 0 && kept < body.length() && Character.isLowSurrogate(body.charAt(kept))) {
            kept--;
        }
        int space = kept;
        while (space > 0 && space > kept - 80 && !Character.isWhitespace(body.charAt(space - 1))) {
            space--;
        }
        return space > 0 && space > kept - 80 ? space : kept;
    }

    private static String marker(int kept, int total) {
        return "\n[... cut here: " + kept + " of " + total + " characters shown]";
    }

    /** For text with spans: how many pages / sheets / ... survived whole. */
    private static String spansKept(ProcessedContent pc, int kept) {
        String key = AttachmentSections.spansKey(pc);
        if (key == null) {
            return "";
        }
        List<?> spans = (List<?>) pc.get(key);
        int whole = 0;
        for (Object s : spans) {
            if (s instanceof Map<?, ?> m && m.get("end") instanceof Number end && end.longValue() <= kept) {
                whole++;
            }
        }
        String kind = key.substring(0, key.length() - "_spans".length());
        return " (" + kind + "s kept whole: " + whole + " of " + spans.size() + ")";
    }

    /** The file's bytes as base64, or {@code null} when it holds more than {@code maxBytes}; reads at most maxBytes + 1. */
    private String readBase64(Attachment a, long maxBytes) {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (InputStream in = a.openContent(store); OutputStream out = Base64.getEncoder().wrap(encoded)) {
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes + 1 - total))) > 0) {
                total += n;
                if (total > maxBytes) {
                    log.debug("{} holds more than {} bytes: sent as text", a.filename(), maxBytes);
                    return null;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("Attachment '" + a.filename() + "': reading it for the model failed: " + e.getMessage(), e);
        }
        return encoded.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Builds an {@link AttachmentRenderer}; the settings are those of {@link RendererSettings}. Not thread-safe.
     */
    public static final class Builder extends RendererSettings<Builder> {
        private Builder() {
        }

        /**
         * @return the renderer
         * @throws IllegalStateException if no store was set
         */
        public AttachmentRenderer build() {
            return renderer();
        }
    }
}
