package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.swing.text.BadLocationException;
import javax.swing.text.DefaultStyledDocument;
import javax.swing.text.rtf.RTFEditorKit;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Extracts the text of RTF documents with the JDK's own RTF reader ({@link RTFEditorKit}; no extra
 * dependency, works headless).
 *
 * <p>Result keys: {@code type} = {@code document}; {@code text} (paragraphs on their own lines; table cells
 * as the reader gives them); {@code words}; {@code truncated}; {@code warnings}; {@code overview}. At most
 * {@value #MAX_BYTES} bytes are read (the reader builds the whole document in memory); text stops at
 * {@code maxOutputChars}. A file that is not RTF, or that the reader cannot parse, is a
 * {@link ProcessingException}. Thread-safe (a new reader per call).
 */
public final class RtfProcessor extends OfficeProcessor {
    /** The most bytes of one RTF file that are parsed. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** Creates the processor. */
    public RtfProcessor() {
        super("rtf", "application/rtf", "text/rtf");
    }

    /** @return 10: above the plain-text processor, which would read {@code text/rtf} as source */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (InputStream in = BoundedInputStream.builder().setInputStream(input.open()).setMaxCount(MAX_BYTES).get()) {
            byte[] head = in.readNBytes(5);
            if (!new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("{\\rtf")) {
                throw new ProcessingException("'" + name + "' is not an RTF document: it does not start with {\\rtf");
            }
            DefaultStyledDocument doc = new DefaultStyledDocument();
            RTFEditorKit kit = new RTFEditorKit();
            kit.read(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), in), doc, 0);
            Texts.checkInterrupted(name);
            String all = doc.getText(0, doc.getLength()).replace("\r\n", "\n").replaceAll("[ \\t]+\\n", "\n")
                    .replaceAll("\\n{3,}", "\n\n").strip();
            CappedText text = new CappedText(limits.maxOutputChars());
            text.append(all);
            boolean cut = input.size() > MAX_BYTES;
            long words = Texts.countWords(text.toString());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "document");
            out.put("text", text.toString());
            out.put("overview", "RTF document, " + Texts.plural(words, "word") + (cut || text.truncated() ? " (truncated)" : "") + ".");
            out.put("words", words);
            out.put("truncated", cut || text.truncated());
            if (cut) {
                out.put("warnings", List.of("only the first " + Texts.bytes(MAX_BYTES) + " of the document were read"));
            }
            return ProcessedContent.of(out);
        } catch (ProcessingException e) {
            throw e;
        } catch (IOException | BadLocationException | RuntimeException | StackOverflowError e) {
            throw new ProcessingException("'" + name + "' is an RTF document that cannot be read: " + e, e);
        }
    }
}
