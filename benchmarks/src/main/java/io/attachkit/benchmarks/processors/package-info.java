/**
 * End-to-end runners for the content processors: PDF text extraction against {@code pdftotext}, OCR against
 * the {@code tesseract} command, OCR throughput with one and two workers, and a cached processing call.
 */
package io.attachkit.benchmarks.processors;
