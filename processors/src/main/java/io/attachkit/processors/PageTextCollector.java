package io.attachkit.processors;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.contentstream.operator.OperatorName;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDMarkedContent;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Collects the text layer and the image coverage ({@link ImageCoverage}) page by page in one pass over the
 * content streams, holding at most the character budget in memory. Stops after the last page asked for (the
 * rest of the page tree is not walked), when the budget is spent, or when the thread is interrupted.
 * Not thread-safe: one per range read.
 */
final class PageTextCollector extends PDFTextStripper {
    /** Thrown from a page boundary to stop the stripper early. */
    private static final class Stop extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What reading a range of pages found.
     *
     * @param layers one per page from the range's first page on, fewer when the budget ran out, the page tree
     *     ended or reading failed
     * @param budgetSpent whether the range's own text passed the budget (so the document's text did too)
     * @param treeEnded whether the page tree ended before the range's last page
     * @param failure what reading the page after the last layer threw, or {@code null}
     * @param markedContentOpen whether a marked-content sequence was still open after the last page read: PDFBox
     *     carries it (and its ActualText) into the next page, so the next range cannot be read on its own
     */
    record Range(List<PageLayer> layers, boolean budgetSpent, boolean treeEnded, Exception failure, boolean markedContentOpen) {
    }

    private final StringBuilder page = new StringBuilder();
    private final List<PageLayer> pages = new ArrayList<>();
    private final ImageCoverage coverage = new ImageCoverage();
    private final long budget;
    private final BooleanSupplier cancelled;
    private long collected;
    private int firstPage = 1;
    private int lastPage;
    private boolean budgetSpent;
    /** Pages the stripper walked when it reached the end of the page tree, or -1 when it stopped early. */
    private int walked = -1;
    /** Drops duplicate overlapping glyphs as PDFBox's own suppression would, at a fraction of its cost. */
    private final DuplicateGlyphFilter duplicates = new DuplicateGlyphFilter();
    /** Whether each open marked-content sequence has an ActualText, mirroring PDFTextStripper's private stack. */
    private final Deque<Boolean> markedContent = new ArrayDeque<>();
    /** Mirrors PDFTextStripper's private actualText != null: its glyphs are never suppressed as duplicates. */
    private boolean inActualText;

    PageTextCollector(long budget) {
        this(budget, () -> false);
    }

    /** @param cancelled checked with the thread's interrupt flag at each page: when true, reading stops */
    PageTextCollector(long budget, BooleanSupplier cancelled) {
        this.budget = budget;
        this.cancelled = cancelled;
        setSortByPosition(false);
        setSuppressDuplicateOverlappingText(false);
    }

    /**
     * Reads pages 1..lastPage; returns one layer per page read, fewer when the character budget ran out.
     * Pages without a content stream are blank layers in their place.
     */
    List<PageLayer> collect(PDDocument doc, int lastPage) throws IOException {
        Range range = collect(doc, 1, lastPage);
        if (range.failure() instanceof IOException e) {
            throw e;
        } else if (range.failure() != null) {
            throw (RuntimeException) range.failure();
        }
        return range.layers();
    }

    /**
     * Reads pages firstPage..lastPage (1-based) as {@link #collect(PDDocument, int)} reads 1..lastPage, with the
     * budget counted from firstPage; a failure is returned with the layers read before it. One call per
     * collector: the marked-content state carries over from page to page as in PDFBox.
     */
    Range collect(PDDocument doc, int firstPage, int lastPage) {
        this.firstPage = firstPage;
        this.lastPage = lastPage;
        setStartPage(firstPage);
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
        } catch (Stop stop) {
            // the last page was read, or the budget ran out: the caller sees fewer pages and marks the text truncated
        } catch (IOException | RuntimeException e) {
            return new Range(pages, budgetSpent, false, e, !markedContent.isEmpty());
        }
        boolean treeEnded = walked >= 0 && walked < lastPage;
        if (!budgetSpent) {
            // the page tree may hold fewer pages than its /Count claims: pad only the pages that were walked
            padTo(Math.min(lastPage, walked < 0 ? firstPage - 1 + pages.size() : walked) - firstPage + 1);
        }
        return new Range(pages, budgetSpent, treeEnded, null, !markedContent.isEmpty());
    }

    @Override
    protected void endDocument(PDDocument doc) throws IOException {
        walked = getCurrentPageNo() - 1;
        super.endDocument(doc);
    }

    @Override
    protected void startPage(PDPage p) throws IOException {
        if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
            throw new InterruptedIOException("interrupted");
        }
        // PDFTextStripper skips pages without contents: keep every later page at its own index
        padTo(getCurrentPageNo() - firstPage);
        page.setLength(0);
        coverage.reset(p.getCropBox());
        duplicates.clear();
        super.startPage(p);
    }

    @Override
    protected void endPage(PDPage p) throws IOException {
        super.endPage(p);
        String text = page.toString();
        pages.add(new PageLayer(text, coverage.fraction()));
        collected += text.length();
        page.setLength(0);
        if (collected > budget) {
            budgetSpent = true;
            throw new Stop();
        }
        if (pages.size() >= lastPage - firstPage + 1) {
            throw new Stop();
        }
    }

    /** PDFBox's duplicate-overlap suppression, through {@link DuplicateGlyphFilter}, where PDFBox would apply it. */
    @Override
    protected void processTextPosition(TextPosition text) {
        if (!inActualText && duplicates.isDuplicate(text.getUnicode(), text.getX(), text.getY(), text.getWidth())) {
            return;
        }
        super.processTextPosition(text);
    }

    @Override
    public void beginMarkedContentSequence(COSName tag, COSDictionary properties) {
        // as PDFTextStripper: each sequence sets actualText to its own, a nested one without ActualText clears it
        inActualText = PDMarkedContent.create(tag, properties).getActualText() != null;
        markedContent.push(inActualText);
        super.beginMarkedContentSequence(tag, properties);
    }

    @Override
    public void endMarkedContentSequence() {
        // as PDFTextStripper: ending a sequence with ActualText clears it; an unmatched end changes nothing
        Boolean hadActualText = markedContent.poll();
        if (hadActualText != null && hadActualText) {
            inActualText = false;
        }
        super.endMarkedContentSequence();
    }

    /** Notes where image XObjects and inline images are drawn; the text stripper itself skips both. */
    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
        String name = operator.getName();
        if (OperatorName.DRAW_OBJECT.equals(name)) {
            PDResources resources = getResources();
            if (!operands.isEmpty() && operands.get(0) instanceof COSName xobject && resources != null
                    && resources.isImageXObject(xobject)) {
                coverage.add(getGraphicsState().getCurrentTransformationMatrix());
            }
        } else if (OperatorName.BEGIN_INLINE_IMAGE.equals(name)) {
            coverage.add(getGraphicsState().getCurrentTransformationMatrix());
        }
        super.processOperator(operator, operands);
    }

    private void padTo(int count) {
        while (pages.size() < count) {
            pages.add(PageLayer.EMPTY);
        }
    }
}
