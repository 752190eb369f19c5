package io.attachkit.processors;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Collects the text layer page by page in one pass, holding at most the character budget in memory, and
 * stops early when the budget is spent or the thread is interrupted.
 */
final class PageTextCollector extends PDFTextStripper {
    /** Thrown from a page boundary to stop the stripper once the budget is spent. */
    private static final class BudgetSpent extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private final StringBuilder page = new StringBuilder();
    private final List<String> pages = new ArrayList<>();
    private final long budget;
    private long collected;

    PageTextCollector(long budget) {
        this.budget = budget;
        setSortByPosition(false);
    }

    /** Reads pages 1..lastPage; returns one string per page read (fewer when the budget ran out). */
    List<String> collect(PDDocument doc, int lastPage) throws IOException {
        setStartPage(1);
        setEndPage(lastPage);
        try (Writer sink = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                page.append(cbuf, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }) {
            writeText(doc, sink);
        } catch (BudgetSpent stop) {
            // the caller sees fewer pages than asked for and marks the text truncated
        }
        return pages;
    }

    @Override
    protected void startPage(PDPage p) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted");
        }
        page.setLength(0);
        super.startPage(p);
    }

    @Override
    protected void endPage(PDPage p) throws IOException {
        super.endPage(p);
        String text = page.toString();
        pages.add(text);
        collected += text.length();
        page.setLength(0);
        if (collected > budget) {
            throw new BudgetSpent();
        }
    }
}
