/**
 * {@link io.attachkit.ContentProcessor}s for office, web and email documents: Word
 * ({@link io.attachkit.processors.office.DocxProcessor}), spreadsheets, slides, HTML and email.
 *
 * <p>All are registered in {@code META-INF/services/io.attachkit.ContentProcessor}, so putting this jar on
 * the classpath is enough for {@link io.attachkit.Attachments} to use them.
 */
package io.attachkit.processors.office;
