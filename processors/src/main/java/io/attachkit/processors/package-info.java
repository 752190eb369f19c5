/**
 * The built-in {@link io.attachkit.ContentProcessor}s: PDF text with OCR of scanned pages
 * ({@link io.attachkit.processors.PdfTextProcessor}), image overview and OCR
 * ({@link io.attachkit.processors.ImageProcessor}), plain text, CSV/TSV tables, JSON, and a binary fallback,
 * plus the pooled Tesseract wrapper they share ({@link io.attachkit.processors.OcrEngine}).
 *
 * <p>All are registered in {@code META-INF/services/io.attachkit.ContentProcessor}, so putting this jar on
 * the classpath is enough for {@link io.attachkit.Attachments} to use them.
 */
package io.attachkit.processors;
