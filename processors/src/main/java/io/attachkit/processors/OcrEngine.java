package io.attachkit.processors;

import com.sun.jna.Pointer;
import io.attachkit.ProcessingException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;
import net.sourceforge.tess4j.TessAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optical character recognition with Tesseract (through Tess4J's native bindings), with a pool of
 * initialised Tesseract instances so each call reuses one instead of loading the language model again.
 *
 * <pre>{@code
 * OcrEngine ocr = OcrEngine.builder().languages("eng+deu").maxInstances(2).build();
 * if (ocr.isInstalled()) {
 *     OcrResult r = ocr.recognize(image, 300);
 * }
 * }</pre>
 *
 * <p>The language data directory is found from {@code TESSDATA_PREFIX} (the directory holding
 * {@code <lang>.traineddata}, or its parent), then the Debian/Ubuntu and Homebrew locations. The data
 * files are checked <em>before</em> any native call, because Tesseract aborts the whole JVM when asked to
 * load a language that is not there. When no data directory or no {@code libtesseract} is found, OCR is
 * "not installed": {@link #isInstalled()} is false and callers add a warning with {@link #installHint()}.
 * When Tesseract is installed but a configured language is missing, {@link #recognize} throws a
 * {@link ProcessingException} that names the missing file.
 *
 * <p>Instances are created lazily, at most {@link Builder#maxInstances(int)} of them (one per processing
 * thread); a caller that finds them all busy waits for one. Thread-safe. {@link #close()} frees the native
 * instances; it is optional for engines that live as long as the application.
 */
public final class OcrEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OcrEngine.class);

    /** The default languages: English. */
    public static final String DEFAULT_LANGUAGES = "eng";
    /** Environment variable with the languages to use, e.g. {@code eng+deu}. */
    public static final String ENV_LANGUAGES = "ATTACHKIT_OCR_LANGUAGES";
    /** Environment variable Tesseract itself uses for its data directory. */
    public static final String ENV_TESSDATA_PREFIX = "TESSDATA_PREFIX";

    private static final Path DEV_NULL = Path.of("/dev/null");
    private static final Pattern LANGUAGES = Pattern.compile("[A-Za-z0-9_]+(\\+[A-Za-z0-9_]+)*");
    private static final List<Path> KNOWN_TESSDATA_DIRS = List.of(
            Path.of("/usr/share/tesseract-ocr/5/tessdata"),
            Path.of("/usr/share/tesseract-ocr/4.00/tessdata"),
            Path.of("/usr/share/tessdata"),
            Path.of("/usr/local/share/tessdata"),
            Path.of("/opt/homebrew/share/tessdata"));
    private static final String INSTALL_HINT = "install Tesseract to get OCR text: 'apt-get install tesseract-ocr tesseract-ocr-eng'"
            + " (Debian/Ubuntu), 'dnf install tesseract tesseract-langpack-eng' (Fedora), 'brew install tesseract' (macOS),"
            + " or set TESSDATA_PREFIX to the directory holding <lang>.traineddata";

    private final String languages;
    private final Path tessdataDir;
    private final int maxInstances;
    private final InvertedText invertedText;
    private final BlockingQueue<TessBaseAPI> idle = new LinkedBlockingQueue<>();
    private final List<TessBaseAPI> all = new ArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    private final Object lock = new Object();
    private volatile TessAPI api;
    private volatile TesseractImage imageHandOff;
    private volatile String notInstalledReason;
    private volatile boolean libraryChecked;
    private volatile boolean closed;

    private OcrEngine(Builder b) {
        this.languages = b.languages;
        this.maxInstances = b.maxInstances;
        this.invertedText = b.invertedText;
        this.tessdataDir = b.tessdataDir != null ? b.tessdataDir : findTessdata(b.environment).orElse(null);
        if (tessdataDir == null) {
            notInstalledReason = "no Tesseract language data found (looked at $TESSDATA_PREFIX and " + KNOWN_TESSDATA_DIRS + ")";
        } else if (!Files.isDirectory(tessdataDir)) {
            notInstalledReason = "the Tesseract data directory " + tessdataDir + " does not exist";
        }
    }

    /** @return a builder with the defaults: languages from the environment or {@code eng}, data found automatically */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    /**
     * @param environment where to read {@code TESSDATA_PREFIX} and {@code ATTACHKIT_OCR_LANGUAGES}
     * @return a builder that reads those settings from the given map instead of the process environment
     */
    public static Builder builder(Map<String, String> environment) {
        return new Builder(Objects.requireNonNull(environment, "environment"));
    }

    /** @return the languages in Tesseract's notation, e.g. {@code eng+deu} */
    public String languages() {
        return languages;
    }

    /** @return the language data directory in use, if one was found */
    public Optional<Path> tessdataDir() {
        return Optional.ofNullable(tessdataDir);
    }

    /** @return the most native Tesseract instances this engine creates */
    public int maxInstances() {
        return maxInstances;
    }

    /** @return how text lighter than its background is found */
    public InvertedText invertedText() {
        return invertedText;
    }

    /**
     * Whether Tesseract (its native library and a language data directory) is present. Loads the native
     * library on first call but initialises no Tesseract instance.
     *
     * @return {@code false} when OCR is not installed; see {@link #notInstalledReason()}
     */
    public boolean isInstalled() {
        if (notInstalledReason != null) {
            return false;
        }
        loadLibrary();
        return notInstalledReason == null;
    }

    /** @return why OCR is not installed, or empty when it is */
    public Optional<String> notInstalledReason() {
        isInstalled();
        return Optional.ofNullable(notInstalledReason);
    }

    /** @return a sentence that says how to install Tesseract, for result warnings */
    public static String installHint() {
        return INSTALL_HINT;
    }

    /**
     * Reads the text in an image. The image is converted to 8-bit gray (transparent areas become white), and
     * inverted when its background is darker than its text (see {@link InvertedText}).
     *
     * @param image the image (not modified)
     * @param dpi the image's resolution, or 0 if unknown (Tesseract then estimates it)
     * @return the text and its mean confidence
     * @throws ProcessingException if OCR is not installed, a language file is missing, the engine is closed,
     *     or the calling thread is interrupted while waiting for a free instance
     */
    public OcrResult recognize(BufferedImage image, int dpi) {
        Objects.requireNonNull(image, "image");
        if (!isInstalled()) {
            throw new ProcessingException("OCR is not available: " + notInstalledReason + "; " + INSTALL_HINT);
        }
        checkLanguageFiles();
        BufferedImage gray = toGray(image);
        boolean invert = TesseractImage.isDarkPage(gray);
        TessBaseAPI handle = acquire();
        try {
            return recognize(handle, gray, invert, dpi);
        } finally {
            release(handle);
        }
    }

    private OcrResult recognize(TessBaseAPI handle, BufferedImage gray, boolean invert, int dpi) {
        try {
            imageHandOff.set(handle, gray, invert);
            if (dpi > 0) {
                api.TessBaseAPISetSourceResolution(handle, dpi);
            }
            Pointer textPointer = api.TessBaseAPIGetUTF8Text(handle);
            String text;
            if (textPointer == null) {
                text = "";
            } else {
                text = textPointer.getString(0, "UTF-8");
                api.TessDeleteText(textPointer);
            }
            int confidence = Math.max(0, api.TessBaseAPIMeanTextConf(handle));
            String trimmed = text.strip();
            return new OcrResult(trimmed, trimmed.isEmpty() ? 0 : confidence);
        } finally {
            api.TessBaseAPIClear(handle);
        }
    }

    /**
     * Frees the native Tesseract instances. Idle ones are freed now; one still busy (a timed-out OCR call runs
     * on in native code) is freed when that call returns, never under it. Later calls to {@link #recognize} fail.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            TessBaseAPI h;
            while ((h = idle.poll()) != null) {
                free(h);
            }
        }
    }

    /** Guarded by {@code lock}. */
    private void free(TessBaseAPI handle) {
        api.TessBaseAPIEnd(handle);
        api.TessBaseAPIDelete(handle);
        all.remove(handle);
    }

    @Override
    public String toString() {
        return "OcrEngine{languages=" + languages + ", tessdata=" + tessdataDir + ", instances=" + created.get() + "/" + maxInstances + "}";
    }

    private void loadLibrary() {
        if (libraryChecked) {
            return;
        }
        synchronized (lock) {
            if (libraryChecked) {
                return;
            }
            try {
                api = TessAPI.INSTANCE;
                imageHandOff = TesseractImage.of(api);
            } catch (LinkageError e) {
                notInstalledReason = "the Tesseract native library (libtesseract) could not be loaded: " + e.getMessage();
                LOG.warn("OCR disabled: {}", notInstalledReason);
            }
            libraryChecked = true;
        }
    }

    private void checkLanguageFiles() {
        for (String lang : languages.split("\\+")) {
            Path file = tessdataDir.resolve(lang + ".traineddata");
            if (!Files.isRegularFile(file)) {
                throw new ProcessingException("OCR language '" + lang + "' is not installed: " + file + " does not exist"
                        + " (install it, e.g. 'apt-get install tesseract-ocr-" + lang + "', or change the OCR languages)");
            }
        }
    }

    private TessBaseAPI acquire() {
        TessBaseAPI handle = idle.poll();
        if (handle != null) {
            return handle;
        }
        synchronized (lock) {
            if (closed) {
                throw new ProcessingException("The OCR engine is closed");
            }
            if (created.get() < maxInstances) {
                TessBaseAPI fresh = createInstance();
                all.add(fresh);
                created.incrementAndGet();
                return fresh;
            }
        }
        try {
            while (true) {
                TessBaseAPI freed = idle.poll(100, TimeUnit.MILLISECONDS);
                if (freed != null) {
                    return freed;
                }
                if (closed) {
                    throw new ProcessingException("The OCR engine is closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingException("Interrupted while waiting for a free OCR instance", e);
        }
    }

    private void release(TessBaseAPI handle) {
        synchronized (lock) {
            if (closed) {
                free(handle); // the engine closed while this instance was busy: free it now that nobody uses it
            } else {
                idle.add(handle);
            }
        }
    }

    private TessBaseAPI createInstance() {
        long started = System.nanoTime();
        TessBaseAPI handle = api.TessBaseAPICreate();
        // the language files were checked above: Init3 with a missing file would abort the JVM
        int rc = api.TessBaseAPIInit3(handle, tessdataDir.toString(), languages);
        if (rc != 0) {
            api.TessBaseAPIDelete(handle);
            throw new ProcessingException("Tesseract could not load languages '" + languages + "' from " + tessdataDir + " (code " + rc + ")");
        }
        api.TessBaseAPISetPageSegMode(handle, TessPageSegMode.PSM_AUTO);
        setLineInversion(handle, invertedText == InvertedText.PAGES_AND_LINES);
        if (Files.isWritable(DEV_NULL)) {
            // Tesseract prints diagnostics ("Estimating resolution as ...") to stderr; a library must not
            api.TessBaseAPISetVariable(handle, "debug_file", DEV_NULL.toString());
        }
        LOG.debug("Created Tesseract instance {} for '{}' in {} ms", created.get() + 1, languages, (System.nanoTime() - started) / 1_000_000);
        return handle;
    }

    /**
     * Turns Tesseract's second, inverted reading of low-confidence lines on or off. Tesseract 5.3 and later read
     * {@code invert_threshold} (0 turns it off), earlier 5.x and 4.x {@code tessedit_do_invert}; each sets what it knows.
     */
    private void setLineInversion(TessBaseAPI handle, boolean on) {
        boolean doInvert = api.TessBaseAPISetVariable(handle, "tessedit_do_invert", on ? "1" : "0") != 0;
        boolean threshold = on || api.TessBaseAPISetVariable(handle, "invert_threshold", "0") != 0;
        if (!doInvert && !threshold) {
            LOG.warn("This Tesseract has neither tessedit_do_invert nor invert_threshold: lines are read as its defaults say");
        }
    }

    static BufferedImage toGray(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && !image.getColorModel().hasAlpha()
                && image.getSampleModel() instanceof ComponentSampleModel) {
            return image;
        }
        BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return gray;
    }

    static Optional<Path> findTessdata(Map<String, String> environment) {
        String prefix = environment.get(ENV_TESSDATA_PREFIX);
        if (prefix != null && !prefix.isBlank()) {
            Path p = Path.of(prefix.strip());
            if (Files.isDirectory(p.resolve("tessdata")) && !hasTrainedData(p)) {
                return Optional.of(p.resolve("tessdata"));
            }
            return Optional.of(p);
        }
        return KNOWN_TESSDATA_DIRS.stream().filter(OcrEngine::hasTrainedData).findFirst();
    }

    private static boolean hasTrainedData(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".traineddata"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * How the engine finds text that is lighter than its background (white on black). Either way a page whose
     * background is darker than its text is inverted before Tesseract reads it: its gray levels are split at their
     * Otsu threshold and the page counts as dark when more than 60% of it is on the dark side (about a millisecond
     * for an A4 page at 300 DPI).
     */
    public enum InvertedText {
        /**
         * Whole pages only. Tesseract reads each line once: light text in a dark box on an otherwise light page
         * (a banner, a table's dark header row) is not read; a poorly read line of a noisy photo is read once.
         */
        PAGES,
        /**
         * Whole pages, and Tesseract also reads again, inverted, every line it read with low confidence, as the
         * {@code tesseract} command does (the default): light text in dark boxes on a light page is read too, at up
         * to three recognitions of each such line (and of each poorly read line of a noisy photo).
         */
        PAGES_AND_LINES
    }

    /** Builds an {@link OcrEngine}. */
    public static final class Builder {
        private final Map<String, String> environment;
        private String languages;
        private Path tessdataDir;
        private int maxInstances = Math.max(1, Runtime.getRuntime().availableProcessors());
        private InvertedText invertedText = InvertedText.PAGES_AND_LINES;

        private Builder(Map<String, String> environment) {
            this.environment = environment;
            String env = environment.get(ENV_LANGUAGES);
            this.languages = env == null || env.isBlank() ? DEFAULT_LANGUAGES : checkLanguages(env.strip(), ENV_LANGUAGES);
        }

        /**
         * @param languages Tesseract language codes joined with {@code +}, e.g. {@code eng+deu}
         * @return this builder
         * @throws IllegalArgumentException if the value is not in that form
         */
        public Builder languages(String languages) {
            this.languages = checkLanguages(Objects.requireNonNull(languages, "languages"), "languages");
            return this;
        }

        /**
         * @param dir the directory holding {@code <lang>.traineddata} (default: found automatically)
         * @return this builder
         */
        public Builder tessdataDir(Path dir) {
            this.tessdataDir = Objects.requireNonNull(dir, "tessdataDir");
            return this;
        }

        /**
         * @param instances the most native Tesseract instances, positive (default: the number of cores)
         * @return this builder
         */
        public Builder maxInstances(int instances) {
            if (instances <= 0) {
                throw new IllegalArgumentException("maxInstances must be positive, was " + instances);
            }
            this.maxInstances = instances;
            return this;
        }

        /**
         * @param mode how text lighter than its background is found (default {@link InvertedText#PAGES_AND_LINES})
         * @return this builder
         */
        public Builder invertedText(InvertedText mode) {
            this.invertedText = Objects.requireNonNull(mode, "invertedText");
            return this;
        }

        /** @return the engine; no native code runs until it is first used */
        public OcrEngine build() {
            return new OcrEngine(this);
        }

        private static String checkLanguages(String value, String setting) {
            if (!LANGUAGES.matcher(value).matches()) {
                throw new IllegalArgumentException(setting + " must be Tesseract language codes joined with '+' (e.g. eng+deu), was '" + value + "'");
            }
            return value;
        }
    }
}
