package io.attachkit.processors;

import io.attachkit.processors.internal.TempCopy;
import io.attachkit.processors.internal.Texts;
import io.attachkit.ContentProcessor;
import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the text of PDF documents with Apache PDFBox, and OCRs scanned pages after rendering them at
 * 300 DPI in gray. A page counts as scanned when raster images cover a meaningful part of it and its text
 * layer is missing, garbage, or only a short stamp over a full-page image ({@link ScannedPageRule}); a page
 * of vector text without a scan under it, however short, is never OCR'd, and a blank page stays blank. The
 * decision comes from the same pass that reads the text layer: no page is rendered to decide.
 *
 * <p>Result keys: {@code type} = {@code document}; {@code text} (pages separated by a blank line);
 * {@code pages} (pages in the document); {@code pages_read}; {@code page_spans}, a list of
 * {@code {page, start, end, source}} where {@code text.substring(start, end)} is page {@code page}'s text
 * and {@code source} is {@code text} or {@code ocr}; {@code info} (title, author, subject, creator,
 * producer, created, modified, when present); {@code words}; {@code processing_method} ({@code text},
 * {@code ocr} or {@code mixed}); {@code ocr_pages} (1-based) with {@code ocr_mean_confidence};
 * {@code truncated} (true when pages past {@link ProcessingLimits#maxPages()} were left unread or the text
 * was cut at {@link ProcessingLimits#maxOutputChars()}); {@code warnings}; {@code overview}.
 *
 * <p>The document is loaded from a temporary copy with a temp-file-only stream cache, so the heap holds
 * neither the file nor its decoded streams. Encrypted documents that need a password, and truncated or
 * corrupt files, are refused with a {@link ProcessingException} that says so. Thread-safe.
 *
 * <p>A document of eight pages or more is read on idle cores too: its pages are cut into ranges that the
 * calling thread and up to {@code maxThreadsPerDocument - 1} helper threads read, each with its own copy of the
 * document opened over the same temporary file, and joined in page order, so the result is the one a single
 * pass gives. Helpers are taken only while fewer threads than cores read PDFs through this processor, and give
 * their core back when more documents arrive: a server busy with several documents reads each on its own
 * worker thread. {@link #close()} stops the helper pool.
 *
 * <pre>{@code
 * ContentProcessors.of(List.of(new PdfTextProcessor(OcrEngine.builder().languages("eng+deu").build())));
 * }</pre>
 */
public final class PdfTextProcessor implements ContentProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(PdfTextProcessor.class);
    /** The resolution scanned pages are rendered at for OCR. */
    static final int OCR_DPI = 300;
    private static final String PAGE_SEPARATOR = "\n\n";

    private final OcrEngine ocr;
    /** Whether {@link #close()} frees the engine: only one this processor created itself. */
    private final boolean ownsOcr;
    private final PageRangeReader pages;

    /** Creates the processor with an {@link OcrEngine} configured from the environment (used by ServiceLoader). */
    public PdfTextProcessor() {
        this(OcrEngine.builder().build(), true, Runtime.getRuntime().availableProcessors());
    }

    /** @param ocr the engine used for scanned pages; the caller closes it */
    public PdfTextProcessor(OcrEngine ocr) {
        this(ocr, false, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param ocr the engine used for scanned pages; the caller closes it
     * @param maxThreadsPerDocument the most threads that read one document's text layer, the calling thread
     *     included (default: the number of cores); 1 reads every document on the calling thread only. Helper
     *     threads are taken only while cores are idle, see the class description
     * @throws IllegalArgumentException if {@code maxThreadsPerDocument} is not positive
     */
    public PdfTextProcessor(OcrEngine ocr, int maxThreadsPerDocument) {
        this(ocr, false, maxThreadsPerDocument);
    }

    private PdfTextProcessor(OcrEngine ocr, boolean ownsOcr, int maxThreadsPerDocument) {
        if (maxThreadsPerDocument <= 0) {
            throw new IllegalArgumentException("maxThreadsPerDocument must be positive, was " + maxThreadsPerDocument);
        }
        this.ocr = Objects.requireNonNull(ocr, "ocr");
        this.ownsOcr = ownsOcr;
        this.pages = new PageRangeReader(maxThreadsPerDocument);
    }

    /** Stops the page-reading helper threads, and frees the OCR engine if this processor created it. */
    @Override
    public void close() {
        pages.close();
        if (ownsOcr) {
            ocr.close();
        }
    }

    @Override
    public String name() {
        return "pdf";
    }

    @Override
    public String version() {
        // 2: pages with a short text layer and no scan are no longer OCR'd; truncated covers maxPages
        return "2";
    }

    @Override
    public boolean supports(String mimeType) {
        return "application/pdf".equals(mimeType);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, ".pdf")) {
            checkLooksComplete(name, copy);
            try (PDDocument doc = Loader.loadPDF(copy.path().toFile(), IOUtils.createTempFileOnlyStreamCache())) {
                return extract(name, copy, doc, input, limits);
            } catch (InvalidPasswordException e) {
                throw new ProcessingException("'" + name + "' is an encrypted PDF that needs a password; its text cannot be read", e);
            } catch (InterruptedIOException e) {
                throw new ProcessingException("Processing '" + name + "' was interrupted (timeout or shutdown)", e);
            } catch (IOException e) {
                throw new ProcessingException("'" + name + "' is a corrupt PDF that cannot be read: " + e.getMessage(), e);
            } catch (ProcessingException e) {
                throw e;
            } catch (RuntimeException e) {
                // PDFBox reports some corrupt structures unchecked, e.g. IllegalStateException "Possible recursion
                // found when searching for page" for a cyclic page tree (found by fuzzing)
                throw new ProcessingException("'" + name + "' is a corrupt PDF that cannot be read: " + e, e);
            }
        }
    }

    private ProcessedContent extract(String name, TempCopy copy, PDDocument doc, ProcessingInput input, ProcessingLimits limits)
            throws IOException {
        int pageCount = doc.getNumberOfPages();
        int toRead = Math.min(pageCount, limits.maxPages());
        List<String> warnings = new ArrayList<>();
        if (toRead < pageCount) {
            warnings.add("only the first " + toRead + " of " + pageCount + " pages were read (maxPages)");
        }
        List<PageLayer> layers = pages.read(copy.path(), doc, toRead, limits.maxOutputChars());
        List<String> pageTexts = new ArrayList<>(layers.size());
        List<Integer> scanned = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            PageLayer layer = layers.get(i);
            pageTexts.add(layer.text());
            if (ScannedPageRule.needsOcr(layer.text(), layer.imageCoverage())) {
                scanned.add(i);
            }
        }
        // pages past maxPages are not read, so the text stands for part of the document only
        boolean truncated = toRead < pageCount || pageTexts.size() < toRead;
        input.listener().progress(name, "text", pageTexts.size(), toRead);

        List<Integer> ocrPages = new ArrayList<>();
        int confidenceSum = 0;
        if (!scanned.isEmpty() && !ocr.isInstalled()) {
            warnings.add(scanned.size() + " scanned page(s) (images without a usable text layer) were not OCR'd: "
                    + OcrEngine.installHint());
        } else if (!scanned.isEmpty()) {
            PDFRenderer renderer = new PDFRenderer(doc);
            int done = 0;
            for (int i : scanned) {
                Texts.checkInterrupted(name);
                BufferedImage image = renderer.renderImageWithDPI(i, dpiFor(doc.getPage(i).getMediaBox(), limits), ImageType.GRAY);
                if (!isBlank(image)) {
                    OcrResult r = ocr.recognize(image, OCR_DPI);
                    if (!r.text().isEmpty()) {
                        pageTexts.set(i, r.text());
                        ocrPages.add(i + 1);
                        confidenceSum += r.meanConfidence();
                    }
                }
                input.listener().progress(name, "ocr", ++done, scanned.size());
            }
        }

        StringBuilder text = new StringBuilder();
        List<Map<String, Object>> spans = new ArrayList<>();
        for (int i = 0; i < pageTexts.size(); i++) {
            if (i > 0) {
                text.append(PAGE_SEPARATOR);
            }
            String page = pageTexts.get(i).strip();
            int start = text.length();
            int room = limits.maxOutputChars() - start;
            if (room <= 0) {
                truncated = true;
                text.setLength(Math.min(text.length(), limits.maxOutputChars()));
                break;
            }
            if (page.length() > room) {
                page = page.substring(0, room);
                truncated = true;
            }
            text.append(page);
            Map<String, Object> span = new LinkedHashMap<>();
            span.put("page", i + 1);
            span.put("start", start);
            span.put("end", text.length());
            span.put("source", ocrPages.contains(i + 1) ? "ocr" : "text");
            spans.add(span);
        }

        String method = ocrPages.isEmpty() ? "text" : ocrPages.size() == pageTexts.size() ? "ocr" : "mixed";
        long words = Texts.countWords(text);
        Map<String, Object> info = info(doc.getDocumentInformation());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "document");
        out.put("text", text.toString());
        out.put("overview", overview(info, pageCount, words, method, ocrPages, truncated));
        out.put("pages", pageCount);
        out.put("pages_read", pageTexts.size());
        out.put("page_spans", spans);
        out.put("words", words);
        out.put("processing_method", method);
        out.put("ocr_pages", ocrPages);
        if (!ocrPages.isEmpty()) {
            out.put("ocr_mean_confidence", confidenceSum / ocrPages.size());
        }
        if (!info.isEmpty()) {
            out.put("info", info);
        }
        if (doc.isEncrypted()) {
            out.put("encrypted", true);
        }
        out.put("truncated", truncated);
        if (!warnings.isEmpty()) {
            out.put("warnings", warnings);
        }
        LOG.debug("Read {} pages of '{}' ({} by OCR)", pageTexts.size(), name, ocrPages.size());
        return ProcessedContent.of(out);
    }

    /** A PDF ends with %%EOF; a file cut short during upload or copy does not, and PDFBox would guess. */
    private static void checkLooksComplete(String name, TempCopy copy) {
        try (RandomAccessFile f = new RandomAccessFile(copy.path().toFile(), "r")) {
            long size = f.length();
            byte[] head = new byte[(int) Math.min(1024, size)];
            f.readFully(head);
            if (!new String(head, StandardCharsets.ISO_8859_1).contains("%PDF-")) {
                throw new ProcessingException("'" + name + "' is not a PDF: no %PDF- header");
            }
            byte[] tail = new byte[(int) Math.min(2048, size)];
            f.seek(size - tail.length);
            f.readFully(tail);
            if (!new String(tail, StandardCharsets.ISO_8859_1).contains("%%EOF")) {
                throw new ProcessingException("'" + name + "' is a truncated or corrupt PDF: it does not end with %%EOF ("
                        + size + " bytes); upload it again");
            }
        } catch (IOException e) {
            throw new ProcessingException("Reading '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    private static float dpiFor(PDRectangle box, ProcessingLimits limits) {
        double pixelsAt300 = (box.getWidth() / 72.0 * OCR_DPI) * (box.getHeight() / 72.0 * OCR_DPI);
        if (pixelsAt300 <= limits.maxImagePixels()) {
            return OCR_DPI;
        }
        return (float) (OCR_DPI * Math.sqrt(limits.maxImagePixels() / pixelsAt300));
    }

    /** @return whether a gray page has no dark pixel at all (nothing worth OCR) */
    static boolean isBlank(BufferedImage gray) {
        if (gray.getRaster().getDataBuffer() instanceof DataBufferByte bytes) {
            for (byte b : bytes.getData()) {
                if ((b & 0xff) < 128) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static Map<String, Object> info(PDDocumentInformation di) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfText(m, "title", di.getTitle());
        putIfText(m, "author", di.getAuthor());
        putIfText(m, "subject", di.getSubject());
        putIfText(m, "creator", di.getCreator());
        putIfText(m, "producer", di.getProducer());
        putIfDate(m, "created", di.getCreationDate());
        putIfDate(m, "modified", di.getModificationDate());
        return m;
    }

    private static void putIfText(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value.strip());
        }
    }

    private static void putIfDate(Map<String, Object> m, String key, Calendar value) {
        if (value != null) {
            m.put(key, DateTimeFormatter.ISO_INSTANT.format(value.toInstant()));
        }
    }

    private static String overview(Map<String, Object> info, int pages, long words, String method, List<Integer> ocrPages, boolean truncated) {
        StringBuilder s = new StringBuilder("PDF document");
        if (info.containsKey("title")) {
            s.append(" \"").append(info.get("title")).append('"');
        }
        if (info.containsKey("author")) {
            s.append(" by ").append(info.get("author"));
        }
        s.append(", ").append(Texts.plural(pages, "page")).append(", ").append(Texts.plural(words, "word"));
        switch (method) {
            case "text" -> s.append("; text from the text layer");
            case "ocr" -> s.append("; text from OCR of the scanned pages");
            default -> s.append("; text from the text layer and OCR of pages ").append(ocrPages);
        }
        if (truncated) {
            s.append(" (truncated)");
        }
        return s.append('.').toString();
    }
}
