package io.attachkit.processors.office;

import io.attachkit.ContentProcessor;

/**
 * What every processor of this package states the same way: its name and the MIME types it reads. Package-private,
 * so the processors' public API stays their own; each keeps its public constructors for {@link java.util.ServiceLoader}.
 */
abstract class OfficeProcessor implements ContentProcessor {
    private final String name;
    private final String[] mimeTypes;

    /**
     * @param name the processor's {@link #name()}
     * @param mimeTypes the normalised MIME types it {@link #supports(String) supports}
     */
    OfficeProcessor(String name, String... mimeTypes) {
        this.name = name;
        this.mimeTypes = mimeTypes.clone();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean supports(String mimeType) {
        for (String m : mimeTypes) {
            if (m.equals(mimeType)) { // not a Set: Set.of(...).contains(null) throws, and null is simply unsupported
                return true;
            }
        }
        return false;
    }
}
