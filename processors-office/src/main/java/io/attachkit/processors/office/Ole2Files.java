package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.processors.internal.TempCopy;
import java.io.IOException;
import org.apache.commons.io.function.IOFunction;
import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Opens legacy (OLE2) Office files (doc, xls, ppt) read-only from a temporary copy, and turns what can go wrong into
 * a {@link ProcessingException} that says what it was: encrypted, or truncated or corrupt ({@link OoxmlFiles#failure}).
 */
final class Ole2Files {
    private Ole2Files() {
    }

    /**
     * @param input the file
     * @param suffix the temporary copy's suffix, e.g. {@code .doc}
     * @param kind what the file should be, for messages ("Word 97-2003 document")
     * @param reader extracts the content from the file system, which {@code read} closes
     * @return what {@code reader} returned
     */
    static ProcessedContent read(ProcessingInput input, String suffix, String kind,
                                 IOFunction<POIFSFileSystem, ProcessedContent> reader) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, suffix);
             POIFSFileSystem fs = new POIFSFileSystem(copy.path().toFile(), true)) {
            return reader.apply(fs);
        } catch (EncryptedDocumentException e) {
            throw new ProcessingException("'" + name + "' is an encrypted (password-protected) " + kind
                    + "; its content cannot be read without the password", e);
        } catch (ProcessingException e) {
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw OoxmlFiles.failure(name, kind, e);
        }
    }
}
