package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Processes one xlsx and prints its first sheet's row count: run by a test in a child JVM with a small heap. */
final class XlsxInSmallHeap {
    private XlsxInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        ProcessedContent c = new XlsxProcessor().process(new ProcessingInput("big.xlsx", XlsxProcessor.MIME, Files.size(file), null,
                () -> Files.newInputStream(file), null), ProcessingLimits.defaults());
        Map<?, ?> sheet = (Map<?, ?>) ((List<?>) c.get("sheets")).get(0);
        Map<?, ?> id = (Map<?, ?>) ((Map<?, ?>) sheet.get("numeric_columns")).get("id");
        System.out.println("ROWS " + sheet.get("row_count") + " SUM " + id.get("sum"));
    }
}
